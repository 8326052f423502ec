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
