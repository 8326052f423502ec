"""Changes between two copies of a re-issued police.uk month."""

import pandas as pd

from alliance.pool.reissue import month_changes


def test_added_removed_and_outcome_changed():
    old = pd.DataFrame({"record_key": ["a", "b", "c"],
                        "outcome": ["Under investigation", "Under investigation", ""]})
    new = pd.DataFrame({"record_key": ["a", "b", "d"],
                        "outcome": ["Under investigation", "Suspect charged", ""]})
    changes = month_changes(old, new).set_index("record_key")
    assert changes.loc["b", "change"] == "outcome_changed"
    assert changes.loc["b", "old_outcome"] == "Under investigation"
    assert changes.loc["b", "new_outcome"] == "Suspect charged"
    assert changes.loc["c", "change"] == "removed"
    assert changes.loc["d", "change"] == "added"
    assert "a" not in changes.index


def test_identical_copies_have_no_changes():
    frame = pd.DataFrame({"record_key": ["a", "b"], "outcome": ["x", None]})
    assert month_changes(frame, frame.copy()).empty


def test_replacement_says_what_will_change_on_the_real_attack():
    """The attack on 2024-01: every violence row removed from a real month."""
    from alliance.pool.reissue import month_replacement
    from alliance.sources.police_uk import discover, read
    from tests.sources.policeuk_helpers import street_file

    (file,) = discover([street_file("northamptonshire", "2024-01")])
    old = pd.concat(read(file), ignore_index=True)[["record_key", "outcome", "source_category"]]
    new = old[old["source_category"] != "Violence and sexual offences"]
    violence = int((old["source_category"] == "Violence and sexual offences").sum())
    plan = month_replacement(old, new, source="police_uk_street", partition="northamptonshire",
                             month="2024-01")
    assert (plan.rows_before, plan.rows_after, plan.removed, plan.added) == (
        len(old), len(old) - violence, violence, 0)
    assert plan.categories == (("Violence and sexual offences", violence, 0),)
    assert plan.needs_confirmation(0.05) and not plan.needs_confirmation(0.5)
    assert f"Violence and sexual offences: {violence:,} \u2192 0" in plan.describe()
    same = month_replacement(old, old, source="s", partition="p", month="2024-01")
    assert (same.removed, same.categories, same.needs_confirmation(0.0)) == (0, (), False)
