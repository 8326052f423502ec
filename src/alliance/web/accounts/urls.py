from django.contrib.auth import views as auth_views
from django.urls import path

from alliance.web.accounts import two_factor_views, views
from alliance.web.accounts.reset import (
    LimitedPasswordResetView,
    UnlockingPasswordResetConfirmView,
)

app_name = "accounts"

urlpatterns = [
    path("sign-in/", views.sign_in, name="sign-in"),
    path("sign-out/", views.sign_out, name="sign-out"),
    path("sign-in/code/", two_factor_views.code, name="two-factor-code"),
    path("two-factor/set-up/", two_factor_views.setup, name="two-factor-setup"),
    path("two-factor/", two_factor_views.manage, name="two-factor"),
    path("two-factor/recovery-codes/", two_factor_views.recovery_codes, name="recovery-codes"),
    path("two-factor/recovery-codes/new/", two_factor_views.renew_codes,
         name="recovery-codes-new"),
    path("two-factor/turn-off/", two_factor_views.turn_off, name="two-factor-off"),
    path("members/<int:membership_id>/reset-two-factor/", two_factor_views.reset_member,
         name="reset-two-factor"),
    path("members/", views.members, name="members"),
    path("members/<int:membership_id>/role/", views.change_role, name="change-role"),
    path("members/<int:membership_id>/deactivate/", views.deactivate, name="deactivate"),
    path("members/<int:membership_id>/reactivate/", views.reactivate, name="reactivate"),
    path("members/<int:membership_id>/unlock/", views.unlock, name="unlock"),
    path("invite/", views.invite, name="invite"),
    path("invitations/sent/", views.invitation_sent, name="invitation-sent"),
    path("invitations/<int:invitation_id>/resend/", views.resend_invitation,
         name="resend-invitation"),
    path("invitations/<int:invitation_id>/withdraw/", views.revoke_invitation,
         name="revoke-invitation"),
    path("invitation/<str:token>/", views.accept, name="accept"),
    path("password-reset/", LimitedPasswordResetView.as_view(), name="password-reset"),
    path("password-reset/sent/", auth_views.PasswordResetDoneView.as_view(
        template_name="accounts/password_reset_done.html"), name="password-reset-done"),
    path("reset/<uidb64>/<token>/", UnlockingPasswordResetConfirmView.as_view(),
         name="password-reset-confirm"),
    path("reset/done/", auth_views.PasswordResetCompleteView.as_view(
        template_name="accounts/password_reset_complete.html"),
        name="password-reset-complete"),
]
