"""Reports made from graded results: per-learner feedback pages and the cohort dashboard."""
