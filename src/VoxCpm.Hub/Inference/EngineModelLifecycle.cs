using System.Diagnostics;
using Microsoft.Extensions.Options;
using VoxCpm.Engine;
using VoxCpm.Engine.Onnx;
using VoxCpm.Engine.Scheduling;
using VoxCpm.Hub.Configuration;
using VoxCpm.ModelDownloader;

namespace VoxCpm.Hub.Inference;

/// <summary>
/// Resolves TTS_MODEL_NAME (local directory, Hugging Face cache, or a download with a console progress bar), loads
/// the engine on a dedicated thread and runs one warm-up synthesis; only then is the state <see cref="ModelStatus.Loaded"/>,
/// so <c>/ready</c> means "loaded and warmed". Owns the engine and disposes it at shutdown.
/// </summary>
internal sealed partial class EngineModelLifecycle(
    IOptions<ModelOptions> modelOptions,
    IOptions<SynthesisOptions> synthesisOptions,
    ILoggerFactory loggers) : IModelLifecycle, IEngineAccessor, IAsyncDisposable
{
    private readonly ILogger _logger = loggers.CreateLogger<EngineModelLifecycle>();
    private readonly Lock _gate = new();
    private volatile ModelState _state = ModelState.NotStarted;
    private volatile VoxCpmEngine? _engine;
    private bool _disposed;

    public ModelState State => _state;

    public VoxCpmEngine? Engine => _engine;

    public async Task LoadAsync(CancellationToken cancellationToken)
    {
        var modelName = modelOptions.Value.ModelName;
        _state = new ModelState(ModelStatus.Loading, $"resolving model '{modelName}'");
        try
        {
            var directory = await ResolveAsync(modelName, cancellationToken);
            var options = CreateEngineOptions(modelOptions.Value, synthesisOptions.Value);
            _state = new ModelState(ModelStatus.Loading, $"loading model from {directory} on {options.Device.ToString().ToLowerInvariant()}");
            var started = Stopwatch.GetTimestamp();
            var engine = await LoadOnDedicatedThreadAsync(directory, options, cancellationToken);
            if (!Publish(engine))
            {
                await engine.DisposeAsync();
                return;
            }

            _state = new ModelState(ModelStatus.Loading, $"warming up model from {directory}");
            var warmUpStarted = Stopwatch.GetTimestamp();
            var warmUpCpu = Environment.CpuUsage.TotalTime;
            await ModelWarmUp.RunAsync(engine, cancellationToken);
            var phases = engine.LoadTimings.WithWarmUp(Stopwatch.GetElapsedTime(warmUpStarted), Environment.CpuUsage.TotalTime - warmUpCpu);
            var loadTime = Stopwatch.GetElapsedTime(started);
            var seconds = loadTime.TotalSeconds;
            _state = new ModelState(
                ModelStatus.Loaded,
                $"model loaded from {directory} on {engine.Device.ToString().ToLowerInvariant()} in {engine.Precision.ToString().ToLowerInvariant()} ({engine.SampleRate} Hz) and warmed up in {seconds:0.0} s",
                loadTime);
            LogModelReady(_logger, modelName, directory, engine.Device, seconds, phases);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            _state = new ModelState(ModelStatus.NotLoaded, "model loading was cancelled (the hub is stopping)");
            throw;
        }
        catch (ModelNotAvailableException e)
        {
            Fail(modelName, $"model '{modelName}' not found: {e.Message}");
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Fail(modelName, $"model '{modelName}' failed to load: {e.Message}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        VoxCpmEngine? engine;
        lock (_gate)
        {
            _disposed = true;
            engine = _engine;
            _engine = null;
        }

        if (engine is not null)
        {
            await engine.DisposeAsync();
        }
    }

    internal static EngineOptions CreateEngineOptions(ModelOptions model, SynthesisOptions synthesis) => new()
    {
        // auto means "the GPU when there is one": the engine probes CUDA and falls back to the CPU with a warning.
        Device = model.Device switch { ComputeDevice.Cpu => ExecutionDevice.Cpu, ComputeDevice.Auto => ExecutionDevice.Auto, _ => ExecutionDevice.Cuda },
        Precision = model.Precision,
        WeightQuantization = model.Quantization,
        CudaGraphs = model.CudaGraphs,
        Scheduler = new SchedulerOptions { MaxConcurrent = synthesis.MaxConcurrent, QueueLimit = synthesis.QueueLimit, MaxBatchSize = synthesis.MaxBatch, RealTimeAdmission = synthesis.RealTimeAdmission },
    };

    private async Task<string> ResolveAsync(string modelName, CancellationToken cancellationToken)
    {
        using var locator = new ModelLocator(ModelHubOptions.FromEnvironment(), loggers.CreateLogger<ModelLocator>());
        var progress = new DownloadProgressReporter(modelName, new ConsoleProgressBar(), state => _state = state);
        var resolved = await locator.ResolveAsync(modelName, progress, cancellationToken);
        return resolved.Directory;
    }

    // Loading reads gigabytes and builds ONNX sessions: a thread of its own keeps the thread pool free for Kestrel.
    private Task<VoxCpmEngine> LoadOnDedicatedThreadAsync(string directory, EngineOptions options, CancellationToken cancellationToken)
    {
        var engineLogger = loggers.CreateLogger("VoxCpm.Engine");
        return Task.Factory.StartNew(
            () => VoxCpmEngine.Load(directory, options, engineLogger, cancellationToken),
            cancellationToken,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default);
    }

    // False when the hub stopped while the engine loaded: the caller then disposes the engine itself.
    private bool Publish(VoxCpmEngine engine)
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return false;
            }

            _engine = engine;
            return true;
        }
    }

    private void Fail(string modelName, string message)
    {
        message = EngineSettingNames.ToHostSettings(message);
        _state = new ModelState(ModelStatus.Failed, message);
        LogModelFailed(_logger, modelName, message);
    }

    [LoggerMessage(EventId = 1100, EventName = "ModelFailed", Level = LogLevel.Error, Message = "Model {ModelName} cannot be used: {Reason}")]
    private static partial void LogModelFailed(ILogger logger, string modelName, string reason);

    [LoggerMessage(EventId = 1101, EventName = "ModelReady", Level = LogLevel.Information, Message = "Model {ModelName} loaded from {Directory} on {Device} and warmed up in {Seconds:0.0} s ({LoadPhases})")]
    private static partial void LogModelReady(ILogger logger, string modelName, string directory, ExecutionDevice device, double seconds, VoxCpm.Engine.Checkpoints.LoadTimings loadPhases);
}
