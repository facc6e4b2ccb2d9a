using Microsoft.ML.OnnxRuntime;
using Onnx;
using VoxCpm.Engine.Onnx;
using VoxCpm.Engine.Tensors;

namespace VoxCpm.Engine.Tests.Onnx;

public class GraphBuilderTests
{
    [Fact]
    public void Large_weights_come_from_managed_memory_not_the_protobuf()
    {
        const int n = 2048;
        var weight = new float[n];
        for (int i = 0; i < n; i++)
        {
            weight[i] = i * 0.5f;
        }

        var g = new GraphBuilder("add");
        var x = g.Input("x", TensorProto.Types.DataType.Float, "batch", n);
        var w = g.Weight("w", new HostTensor<float>(weight, n));
        g.Alias(g.Op("Add", [x, w]), "y");
        g.Output("y", TensorProto.Types.DataType.Float, "batch", n);
        using var model = g.Build();
        Assert.True(model.Bytes.Length < n * sizeof(float), "the weight must not be serialized into the graph");

        using var session = SessionFactory.Create(model, new OnnxRuntimeOptions { IntraOpThreads = 1 });
        var input = new float[n];
        Array.Fill(input, 1f);
        using var xValue = OrtValue.CreateTensorValueFromMemory(input, [1, n]);
        using var outputs = session.Run(new RunOptions(), ["x"], [xValue], ["y"]);
        var y = outputs[0].GetTensorDataAsSpan<float>();
        Assert.Equal(1f, y[0]);
        Assert.Equal(1f + (n - 1) * 0.5f, y[n - 1]);
    }
}
