"""The review queue: candidate pairs of people, "same person" merges (undoable exactly),
"different people" remembered, and the whole-registry duplicate scan."""
