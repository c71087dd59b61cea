// Actor specs start ActorSystems; on two cores they are steadier one class at a time.
[assembly: Xunit.CollectionBehavior(DisableTestParallelization = true)]
