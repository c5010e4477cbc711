"""The seeds' knowledge as pure functions over the system model.

Each module answers one question (which style, which scaling stage, what capacity,
what to recommend, how to secure, what to watch) with data, never prose pasted from
the seeds. Where the spec lacks an input a rule needs, the rule reports the key to
add instead of inventing a number.
"""
