using Microsoft.Extensions.Options;

namespace VoxCpm.Hub.Inference;

/// <summary>
/// The model lifecycle until the inference engine is wired in: it finds the model's files, and stops there. It
/// never reports <see cref="ModelStatus.Loaded"/>, so <c>/ready</c> stays 503 and says why; the real engine load
/// replaces this class (see docs/architecture.md, "Model readiness seam").
/// </summary>
internal sealed partial class EngineNotWiredModelLifecycle(
    IOptions<ModelOptions> options,
    ModelDirectoryResolver resolver,
    ILogger<EngineNotWiredModelLifecycle> logger) : IModelLifecycle
{
    public const string EngineNotWiredMessage = "engine not wired yet";

    private volatile ModelState _state = ModelState.NotStarted;

    public ModelState State => _state;

    public Task LoadAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var model = options.Value;
        _state = new ModelState(ModelStatus.Loading, $"looking for model '{model.ModelName}'");

        var directory = resolver.Resolve(model.ModelName, out var searched);
        if (directory is null)
        {
            _state = new ModelState(
                ModelStatus.Failed,
                $"model '{model.ModelName}' not found: no {ModelDirectoryResolver.ConfigFileName} in " +
                $"{string.Join(", ", searched)} (set TTS_MODEL_NAME to a model directory or download the model into the Hugging Face cache)");
            LogModelNotFound(logger, model.ModelName, _state.Message);
            return Task.CompletedTask;
        }

        _state = new ModelState(ModelStatus.NotLoaded, $"model files found at {directory}; {EngineNotWiredMessage}");
        LogEngineNotWired(logger, model.ModelName, directory);
        return Task.CompletedTask;
    }

    [LoggerMessage(EventId = 1100, EventName = "ModelNotFound", Level = LogLevel.Error, Message = "Model {ModelName} cannot be loaded: {Reason}")]
    private static partial void LogModelNotFound(ILogger logger, string modelName, string reason);

    [LoggerMessage(EventId = 1101, EventName = "EngineNotWired", Level = LogLevel.Warning, Message = "Model {ModelName} found at {Directory}, but the inference engine is not wired yet; /ready stays 503")]
    private static partial void LogEngineNotWired(ILogger logger, string modelName, string directory);
}
