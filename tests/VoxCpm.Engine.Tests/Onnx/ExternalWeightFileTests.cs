using Microsoft.ML.OnnxRuntime;
using Onnx;
using VoxCpm.Engine.Model;
using VoxCpm.Engine.Onnx;
using VoxCpm.Engine.Tensors;

namespace VoxCpm.Engine.Tests.Onnx;

public sealed class ExternalWeightFileTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("voxcpm-weights-test").FullName;

    [Fact]
    public void A_session_loaded_from_the_written_file_computes_with_the_models_weights()
    {
        var first = Enumerable.Range(0, 300).Select(i => i * 0.25f).ToArray();
        var second = Enumerable.Range(0, 300).Select(i => (Half)(i % 7)).Select(h => new Microsoft.ML.OnnxRuntime.Float16(BitConverter.HalfToUInt16Bits(h))).ToArray();
        var g = new GraphBuilder("two_weights");
        var x = g.Input("x", TensorProto.Types.DataType.Float, 300);
        var a = g.Weight("a", new HostTensor<float>(first, 300));
        var b = g.Op("Cast", [g.Weight("b", second, 300)], OnnxAttribute.Int("to", (int)TensorProto.Types.DataType.Float));
        g.Alias(g.Op("Add", [g.Op("Add", [x, a]), b]), "y");
        g.Output("y", TensorProto.Types.DataType.Float, 300);
        using var model = g.Build();

        var bytes = ExternalWeightFile.Write(model, _folder, "model.weights");
        model.ReleaseWeights(); // as on CUDA: once written, the host copies are not needed
        Assert.Empty(model.Weights);

        // No AddInitializer: every weight must come from the file (a wrong offset or length fails or changes y).
        using var options = new SessionOptions();
        options.AddSessionConfigEntry("session.model_external_initializers_file_folder_path", _folder);
        using var session = new InferenceSession(bytes, options);
        var input = new float[300];
        using var xValue = OrtValue.CreateTensorValueFromMemory(input, [300]);
        using var outputs = session.Run(new RunOptions(), ["x"], [xValue], ["y"]);
        var y = outputs[0].GetTensorDataAsSpan<float>().ToArray();
        Assert.Equal(Enumerable.Range(0, 300).Select(i => (i * 0.25f) + (i % 7)).ToArray(), y);
        Assert.Equal(0, new FileInfo(Path.Combine(_folder, "model.weights")).Length % 64);
    }

    [Fact]
    public void A_computed_weight_is_produced_only_when_the_file_is_written()
    {
        int fills = 0;
        var g = new GraphBuilder("computed");
        var x = g.Input("x", TensorProto.Types.DataType.Float, 2000);
        var c = g.Weight<float>("c", TensorProto.Types.DataType.Float, [2000], values =>
        {
            fills++;
            for (int i = 0; i < values.Length; i++)
            {
                values[i] = i * 0.5f;
            }
        });
        g.Alias(g.Op("Add", [x, c]), "y");
        g.Output("y", TensorProto.Types.DataType.Float, 2000);
        using var model = g.Build();
        Assert.Equal(0, fills);

        var y = Run(ExternalWeightFile.Write(model, _folder, "model.weights"), new float[2000]);

        Assert.Equal(1, fills);
        Assert.Equal(Enumerable.Range(0, 2000).Select(i => i * 0.5f).ToArray(), y);
    }

    [Theory]
    [InlineData(ComputePrecision.Float32)]
    [InlineData(ComputePrecision.Float16)]
    public void Linear_weights_are_read_from_their_source_only_when_the_file_is_written(ComputePrecision precision)
    {
        // Two torch Linear weights [out, in] sharing an input, fused and transposed into one [in, Σout] matrix.
        const int In = 40;
        var source = new CountingWeightSource(new()
        {
            ["q"] = new HostTensor<float>([.. Enumerable.Range(0, 30 * In).Select(i => (i % 11) * 0.25f)], 30, In),
            ["k"] = new HostTensor<float>([.. Enumerable.Range(0, 20 * In).Select(i => (i % 5) * 0.5f)], 20, In),
        });
        var g = new GraphBuilder("linear");
        var x = g.Input("x", TensorProto.Types.DataType.Float, 1, In);
        var w = g.LinearWeight("qk", precision, 2f, new LinearWeightSource(source, "q", 30, In), new LinearWeightSource(source, "k", 20, In));
        g.Alias(g.ToFloat32(g.Op("MatMul", [g.ToPrecision(x, precision), w]), precision), "y");
        g.Output("y", TensorProto.Types.DataType.Float, 1, 50);
        using var model = g.Build();
        Assert.Empty(source.Reads);

        var input = Enumerable.Range(0, In).Select(i => (i % 3) - 1f).ToArray();
        var y = Run(ExternalWeightFile.Write(model, _folder, "model.weights"), input, 1, In);

        Assert.Equal(["q", "k"], source.Reads);
        var expected = new float[50];
        for (int o = 0; o < 50; o++)
        {
            var row = o < 30 ? source.Tensors["q"].Data.AsSpan(o * In, In) : source.Tensors["k"].Data.AsSpan((o - 30) * In, In);
            for (int i = 0; i < In; i++)
            {
                expected[o] += input[i] * 2f * row[i];
            }
        }

        Assert.Equal(expected, y);
    }

    private float[] Run(byte[] modelBytes, float[] input, params long[] shape)
    {
        using var options = new SessionOptions();
        options.AddSessionConfigEntry("session.model_external_initializers_file_folder_path", _folder);
        using var session = new InferenceSession(modelBytes, options);
        using var xValue = OrtValue.CreateTensorValueFromMemory(input, shape.Length == 0 ? [input.Length] : shape);
        using var outputs = session.Run(new RunOptions(), ["x"], [xValue], ["y"]);
        return outputs[0].GetTensorDataAsSpan<float>().ToArray();
    }

    private sealed class CountingWeightSource(Dictionary<string, HostTensor<float>> tensors) : IWeightSource
    {
        public Dictionary<string, HostTensor<float>> Tensors => tensors;

        public List<string> Reads { get; } = [];

        public HostTensor<float> Get(string name)
        {
            Reads.Add(name);
            return tensors[name];
        }
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
