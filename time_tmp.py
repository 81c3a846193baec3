import time, sys
from splice.bench.apply_worst import repetitive
from splice.apply import merge
for c in repetitive():
    if 'lazy' in c.name: continue
    t=time.time()
    try: merge(c.original, c.edit, path="x.py"); r="merged"
    except Exception as e: r=type(e).__name__
    print(c.name, r, round(time.time()-t,2))
