"""The four roles of LABELS.md, in the order every array in the project uses."""

ROLES = ("goal", "measure", "criticism", "praise")
