using Microsoft.ML.OnnxRuntime;

namespace VoxCpm.Engine.Onnx;

/// <summary>Creates ONNX Runtime sessions for graphs built by <see cref="GraphBuilder"/>.</summary>
internal static class SessionFactory
{
    /// <param name="model">The graph and its weights.</param>
    /// <param name="options">Device, threads.</param>
    /// <param name="cudaGraphs">
    /// Whether runs may be captured as CUDA graphs and replayed (CUDA only): every input and output must then be bound
    /// in device memory at fixed addresses per graph id (see <see cref="Model.CapturedCfmSolver"/>).
    /// </param>
    public static InferenceSession Create(OnnxModel model, OnnxRuntimeOptions options, bool cudaGraphs = false)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(options);
        using var phase = Checkpoints.LoadClock.Measure(Checkpoints.LoadPhase.SessionCreation);
        using var sessionOptions = new SessionOptions
        {
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR,
        };
        long weightBytes = model.WeightBytes;
        int threads = IntraOpThreads.For(options, weightBytes);
        if (threads > 0)
        {
            sessionOptions.IntraOpNumThreads = threads;
        }

        // Every graph has its own intra-op pool, and a step runs a dozen sessions back to back. Spinning workers of the
        // session that just finished keep burning cores while the next session's workers need them: measured on two
        // cores this doubled the LM step (base and residual LM alternate) and the CFM. Sleeping workers cost a wake-up
        // per parallel section, which is far cheaper. (A global pool with spinning was as slow as per-session spinning.)
        sessionOptions.AddSessionConfigEntry("session.intra_op.allow_spinning", "0");

        if (options.Device == ExecutionDevice.Cuda)
        {
            // TF32 would round the float32 graphs' matrix products to a 10-bit mantissa (the VAE, FSQ, stop head and mu):
            // measured on an H200, FSQ then flips quantization levels and the VAE drifts by 2e-3. Float32 means float32.
            using var cuda = new OrtCUDAProviderOptions();
            cuda.UpdateOptions(new Dictionary<string, string>
            {
                ["device_id"] = options.CudaDeviceId.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["use_tf32"] = "0",

                // The default exhaustive search benchmarks every convolution algorithm for each new input shape; with the
                // batch changing step by step that cost ~0.5-1 s of first-audio latency per new batch size (measured).
                ["cudnn_conv_algo_search"] = "HEURISTIC",
                ["enable_cuda_graph"] = cudaGraphs ? "1" : "0",
            });
            sessionOptions.AppendExecutionProvider_CUDA(cuda);
        }

        // A float16 graph on the CPU provider: x64 has no float16 MatMul/Add/Mul/Sigmoid/Softmax kernels, so ORT wraps
        // those nodes in Casts to float32, and this transformer would then turn each float16 weight behind such a Cast
        // into a float32 initializer, keeping a float32 copy of every weight. Without it the Cast runs per call on the CPU.
        // Nothing else changes: it only touches float16 initializers feeding float32 nodes, which CUDA graphs lack.
        sessionOptions.AddSessionConfigEntry("optimization.disable_specified_optimizers", "FuseFp16InitializerToFp32NodeTransformer");

        return CreateFromWeightFile(model, weightBytes, sessionOptions);
    }

    /// <summary>
    /// ONNX Runtime reads the weights from a file (see <see cref="ExternalWeightFile"/>) into memory it owns: device
    /// memory on CUDA; on the CPU its own buffers, which it frees once every MatMul has prepacked its copy. The host
    /// copies go as soon as they are written and the file once the session holds them, so a server keeps one copy of
    /// the model. (Weights handed over with <c>AddInitializer</c> stay the caller's, beside the prepacked ones: measured
    /// on VoxCPM-0.5B float32, 5.9 GiB serving memory that way against 3.0 GiB this way.)
    /// </summary>
    private static InferenceSession CreateFromWeightFile(OnnxModel model, long weightBytes, SessionOptions sessionOptions)
    {
        string folder = WeightFileFolder.For(weightBytes);
        string fileName = $"{model.Name}-{Guid.NewGuid():N}.weights";
        sessionOptions.AddSessionConfigEntry("session.model_external_initializers_file_folder_path", folder);
        try
        {
            byte[] bytes = ExternalWeightFile.Write(model, folder, fileName);
            model.ReleaseWeights();
            return new InferenceSession(bytes, sessionOptions);
        }
        finally
        {
            File.Delete(Path.Combine(folder, fileName));
        }
    }
}
