from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from alliance.web.accounts import views

app_name = "accounts"

urlpatterns = [
    path("sign-in/", views.sign_in, name="sign-in"),
    path("sign-out/", views.sign_out, name="sign-out"),
    path("members/", views.members, name="members"),
    path("members/<int:membership_id>/role/", views.change_role, name="change-role"),
    path("members/<int:membership_id>/deactivate/", views.deactivate, name="deactivate"),
    path("members/<int:membership_id>/reactivate/", views.reactivate, name="reactivate"),
    path("invite/", views.invite, name="invite"),
    path("invitations/<int:invitation_id>/resend/", views.resend_invitation,
         name="resend-invitation"),
    path("invitations/<int:invitation_id>/withdraw/", views.revoke_invitation,
         name="revoke-invitation"),
    path("invitation/<str:token>/", views.accept, name="accept"),
    path("password-reset/", auth_views.PasswordResetView.as_view(
        template_name="accounts/password_reset.html",
        email_template_name="accounts/password_reset_email.txt",
        subject_template_name="accounts/password_reset_subject.txt",
        success_url=reverse_lazy("accounts:password-reset-done")), name="password-reset"),
    path("password-reset/sent/", auth_views.PasswordResetDoneView.as_view(
        template_name="accounts/password_reset_done.html"), name="password-reset-done"),
    path("reset/<uidb64>/<token>/", auth_views.PasswordResetConfirmView.as_view(
        template_name="accounts/password_reset_confirm.html",
        success_url=reverse_lazy("accounts:password-reset-complete")),
        name="password-reset-confirm"),
    path("reset/done/", auth_views.PasswordResetCompleteView.as_view(
        template_name="accounts/password_reset_complete.html"),
        name="password-reset-complete"),
]
