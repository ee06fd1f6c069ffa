"""ECM enrollment: outreach, enrollment, lead care manager, acuity and discontinuation."""
