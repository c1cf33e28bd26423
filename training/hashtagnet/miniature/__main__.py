"""python -m hashtagnet.miniature: the miniature (hashtagnet.miniature.run), kept so recorded commands run."""

from hashtagnet.miniature.run import main

main()
