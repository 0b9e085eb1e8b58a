"""The demo of a whole year (`dtiflow demo`; docs/demo.md): seeded scenario, event-jumping clock,
printed account.

- `scenario`    what happens: which unit sends what and when, the council's changes, the decisions
                (`sheets`: the seeded answers and changes; `timing`: deadlines, sending days, wake-ups);
- `agenda`      the steps of the year in time order and the loop that jumps the clock between them;
- `year`        the steps' actions: the real Prefect flows and service commands over one App
                (`readback`: what it reads back from the database to tell the story);
- `world`       the fresh database, the loopback SMTP server and the App wired to them;
- `results`     a cycle's ranking from the database, and the exports (CSV, JSON, audit log, mail);
- `account`, `report`  the printed Vietnamese account and the final tables;
- `prefect_env` a local, ephemeral Prefect for the demo process.
"""
