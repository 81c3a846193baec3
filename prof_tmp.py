import cProfile, pstats, time, sys
from splice.bench.apply_worst import repetitive
from splice.apply import merge
cases = {c.name: c for c in repetitive()}
for name in sys.argv[1:]:
    c = cases[name]
    pr = cProfile.Profile(); pr.enable()
    t=time.time()
    try: merge(c.original, c.edit, path="x.py"); print("merged")
    except Exception as e: print(type(e).__name__, str(e)[:200])
    pr.disable(); print(name, time.time()-t)
    pstats.Stats(pr).sort_stats('tottime').print_stats(8)
