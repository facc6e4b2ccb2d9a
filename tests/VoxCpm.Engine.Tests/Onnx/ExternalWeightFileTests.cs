using Microsoft.ML.OnnxRuntime;
using Onnx;
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

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
