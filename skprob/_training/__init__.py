"""The training engine: step 3 of the recipe, minimising the family's NLL.

A fit flows through these modules in this order (the estimator in ``skprob/_base.py``
has validated the parameters and data and encoded the targets before):

1. ``run.fit_network`` sizes the schedule to the data (``TrainingSchedule``: batch size,
   epochs, validation split, float32 or float64), draws each member's validation rows
   and builds the network;
2. ``network.DistributionMLP``: the torch module, a batched ensemble of MLPs whose outputs
   are the family's raw (unconstrained) parameters; its first steps are
   ``feature_map.RobustFeatureMap`` (each column robustly scaled and softly clipped, with
   statistics fitted here) and, if asked, ``embedding.PeriodicEmbedding``;
3. ``data.ArrayData`` / ``data.TensorBatches``: mini-batches sliced from whole tensors;
4. ``net.DistributionNet``: the skorch net whose loss is the family's NLL (``FamilyNLL``);
   Adam and SGD step with the backward pass written out (autograd for L-BFGS), and
   ``flat_params.FlatAdam`` updates all parameters in one fused kernel;
5. ``callbacks.MemberEarlyStopping`` keeps each member's best epoch; ``progress`` prints
   what ``verbose`` asks for;
6. ``threads.torch_threads`` holds torch's thread count around the work, and
   ``denormals.flush_denormals`` flushes subnormal numbers to zero (each restores the
   caller's setting); ``constants`` caches the 0-dim tensors the step's operators take;
7. ``persistence`` turns the trained net into plain data for pickle and skops, and back.

Nothing here imports the estimators; a new layer belongs in ``network``, a new optimizer
in ``run.OPTIMIZERS``.
"""
