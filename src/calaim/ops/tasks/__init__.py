"""Tasks with due dates, created by the DHCS clocks and assignable to a person or a team."""
