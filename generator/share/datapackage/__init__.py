"""Data packages: one borough's results, for another borough's site to show.

Each borough may keep its own reviews repository. To compare teams across
boroughs, a borough publishes a *data package* of its partner-visible results,
and the other boroughs' sites read it::

    qa-site export --format datapackage -o DIR [--borough ID]

The format, ``qa-site-package/1``, is a Frictionless Tabular Data Package
(spec v1): ``datapackage.json`` plus six CSV tables, each with a Table Schema
(field types, constraints, primary and foreign keys), so any Frictionless tool
can check it too. The tables are declared once, in ``tables.TABLES``: the
writer's descriptor and the reader's checks both come from that declaration.

    boroughs.csv    id, name, short
    teams.csv       borough, id, name, service, closed
    standards.csv   id, title, domain, critical, introduced, retired
    reviews.csv     borough, team, date, framework_version, rating, percent, cases
    ratings.csv     borough, team, date, standard, rating
    grades.csv      borough, team, date, standard, grade, count

A package holds results only, from presented reviews only: never a draft or a
review completed but not yet presented, never narrative, notes, actions, case
references, worker references or anyone's name. Case-audit grades are counted
per standard and grade, so no row stands for one case.

The reader is strict: it reports every problem it finds, in the shape of
every other problem (``path:line: field: message``), and returns a package
only when there is none. It reads nothing outside the package's folder and
never fetches anything over the network.

Writing is ``write.write_package`` (``descriptor`` writes ``datapackage.json``);
reading is ``read.read_package``, which checks ``datapackage.json``
(``read_descriptor``), each table (``read_tables``), what spans rows and tables
(``read_checks``), and builds the ``model.Package`` (``build``).
"""
