namespace VoxCpm.Hub.Inference;

/// <summary>
/// The seam between the host and the inference engine: the host asks for the model to be loaded once, in the
/// background, and reads <see cref="State"/> for readiness. Implementations must be thread-safe: <see cref="State"/>
/// is read by health checks while <see cref="LoadAsync"/> runs.
/// </summary>
internal interface IModelLifecycle
{
    ModelState State { get; }

    /// <summary>
    /// Loads the model. Never throws for an expected failure (missing files, no GPU): it ends in
    /// <see cref="ModelStatus.Failed"/> with a message instead. Throws only <see cref="OperationCanceledException"/>.
    /// </summary>
    Task LoadAsync(CancellationToken cancellationToken);
}
