using Microsoft.Extensions.Configuration;
using VoxCpm.Engine.Onnx;
using VoxCpm.Hub.Configuration;
using VoxCpm.Hub.Inference;

namespace VoxCpm.Hub.Tests.Configuration;

public class ModelOptionsTests
{
    [Fact]
    public void Model_settings_reach_the_engine_options()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["TTS_DEVICE"] = "cuda",
            ["TTS_PRECISION"] = "fp16",
            ["TTS_QUANTIZATION"] = "int8",
            ["TTS_CUDA_GRAPHS"] = "false",
        }).Build();
        var reader = new SettingsReader(configuration);
        var model = new ModelOptions();
        ModelOptions.Bind(reader, model);

        var engine = EngineModelLifecycle.CreateEngineOptions(model, new SynthesisOptions());

        Assert.Empty(reader.Errors);
        Assert.Equal(ExecutionDevice.Cuda, engine.Device);
        Assert.Equal(ComputePrecision.Float16, engine.Precision);
        Assert.Equal(WeightQuantization.Int8, engine.WeightQuantization);
        Assert.False(engine.CudaGraphs);
    }

    [Fact]
    public void Cuda_graphs_are_on_unless_turned_off()
    {
        var model = new ModelOptions();
        ModelOptions.Bind(new SettingsReader(new ConfigurationBuilder().Build()), model);

        Assert.True(EngineModelLifecycle.CreateEngineOptions(model, new SynthesisOptions()).CudaGraphs);
    }
}
