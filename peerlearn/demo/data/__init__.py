"""The demo's content: the paper's eight cases, the Kenya alliance, countries, organisation
kinds and the fragments synthetic challenges and experiences are written from.

Everything here is plain data; :mod:`peerlearn.demo.generate` turns it into a plan and
:mod:`peerlearn.demo.load` writes the plan to the database.
"""
