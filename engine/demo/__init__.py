"""Everything a demo is at build time, along one path:

    fence.py     find each ```demo fence (Python-Markdown's own fence grammar)
    block.py     read and validate its YAML into a `DemoBlock` (options from the contract)
    modelfile.py load and check an author's model file
    preview.py   compute the default run in CPython: iteration 0 and static figures
    view.py      render the widget's templates
    post.py      the demos of one post, one after the other along that path
    emit.py      the contract as the page scripts read it (`contract.js`)

The contract itself (options, limits, state, hooks, link keys, the saved-runs format)
lives in `engine/runtime/contract.py`, since the runtime in the browser reads it too.
"""
