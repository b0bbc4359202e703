"""Pure domain rules with no storage and no requests: numbering plans, number classification,
US states and E911 address standardisation. Families use them; they use no family."""
