"""The demo of a whole year (`dtiflow demo`): seeded scenario, event-jumping clock, printed account.

- `scenario`  what happens: which unit sends what and when, the council's adjustments, the decisions;
- `agenda`    the steps of the year in time order and the loop that jumps the clock between them;
- `year`      the steps' actions: the real Prefect flows and service commands over one App;
- `results`   the ranking of a cycle from the database, and the exports (CSV, JSON, audit, mail);
- `account`   the printed Vietnamese account and the final tables;
- `prefect_env` a local, ephemeral Prefect for the demo process.
"""
