import cProfile, pstats, time
from splice.apply import merge
path = "/root/.cache/splice/pypi/django-5.1/Django-5.1/tests/schema/tests.py"
text = open(path).read()
lines = text.splitlines(keepends=True)
mid = len(lines)//2; acc=0; j=mid
while acc < 25000: acc += len(lines[j]); j += 1
search = "".join(lines[mid:j]); replace = search.replace("self.assert", "self.check", 3)
edit = "<<<<<<< SEARCH\n" + search + "=======\n" + replace + ">>>>>>> REPLACE\n"
t=time.time(); merge(text, edit, path="tests.py"); print("wall", time.time()-t)
pr=cProfile.Profile(); pr.enable(); merge(text, edit, path="tests.py"); pr.disable()
pstats.Stats(pr).sort_stats('cumulative').print_stats(18)
