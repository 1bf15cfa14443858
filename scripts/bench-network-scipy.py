"""Peer for the network benchmark: the same relationship inference as sparse A·Aᵀ.

Reads int32 arrays (event index per party, person index per party, and per-event
type/day) written by scripts/bench-network.ts; counts pairs sharing >= K eligible
events, leaving out events with more than MAX_PARTIES distinct people.
Prints the number of edges.
"""
import sys
import numpy as np
from scipy import sparse

folder, people, min_shared, max_parties, as_of = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
event = np.fromfile(f"{folder}/party_event.i32", dtype=np.int32)
person = np.fromfile(f"{folder}/party_person.i32", dtype=np.int32)
day = np.fromfile(f"{folder}/event_day.i32", dtype=np.int32)
events = day.shape[0]

a = sparse.csr_matrix((np.ones(event.shape[0], dtype=np.int32), (event, person)), shape=(events, people))
a.sum_duplicates()
a.data[:] = 1  # a person twice on one record counts once
sizes = np.diff(a.indptr)
keep = (sizes >= 2) & (sizes <= max_parties) & (day <= as_of)
a = sparse.diags(keep.astype(np.int32)) @ a
c = sparse.triu(a.T.tocsr() @ a, k=1).tocsr()
print(int((c.data >= min_shared).sum()))
