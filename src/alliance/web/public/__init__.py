"""The public site: the area's figures, the SNA's summary and the accessibility statement, in
English and Welsh, with no account."""
