using Microsoft.ML.OnnxRuntime;
using Onnx;
using VoxCpm.Engine.Onnx;
using VoxCpm.Engine.Tensors;

namespace VoxCpm.Engine.Tests.Onnx;

/// <summary>What the quantized-weight tests share: random weights, and a quantized MatMul run by ONNX Runtime.</summary>
internal static class QuantizedMatMul
{
    /// <summary>A <paramref name="rows"/> × <paramref name="cols"/> tensor of values in [-1, 1), the same for the same seed.</summary>
    public static HostTensor<float> Random(int seed, int rows, int cols)
    {
        var rng = new Random(seed);
        var data = new float[rows * cols];
        for (int i = 0; i < data.Length; i++)
        {
            data[i] = (float)((rng.NextDouble() * 2) - 1);
        }

        return new HostTensor<float>(data, rows, cols);
    }

    /// <summary>
    /// Runs <c>y = matMul(x)</c> (one node that <paramref name="matMul"/> adds for input "x" and weight "w") in ONNX
    /// Runtime and returns its RMS error relative to <c>x · reference<sup>T</sup></c>, where
    /// <paramref name="reference"/> is the dequantized <c>[N, K]</c> weight.
    /// </summary>
    public static double RelativeRmsError(Func<GraphBuilder, string, string> matMul, HostTensor<float> x, HostTensor<float> reference)
    {
        int m = x.Shape[0];
        int k = x.Shape[1];
        int n = reference.Shape[0];
        var g = new GraphBuilder("matmul");
        string input = g.Input("x", TensorProto.Types.DataType.Float, "rows", k);
        g.Alias(matMul(g, input), "y");
        g.Output("y", TensorProto.Types.DataType.Float, "rows", n);
        using var model = g.Build();
        using var session = SessionFactory.Create(model, new OnnxRuntimeOptions { IntraOpThreads = 1 });
        using var xValue = OrtValue.CreateTensorValueFromMemory(x.Data, [m, k]);
        using var outputs = session.Run(new RunOptions(), ["x"], [xValue], ["y"]);
        var y = outputs[0].GetTensorDataAsSpan<float>();

        double diff = 0;
        double norm = 0;
        for (int r = 0; r < m; r++)
        {
            for (int c = 0; c < n; c++)
            {
                double expected = 0;
                for (int i = 0; i < k; i++)
                {
                    expected += x.Data[(r * k) + i] * reference.Data[(c * k) + i];
                }

                diff += Math.Pow(y[(r * n) + c] - expected, 2);
                norm += expected * expected;
            }
        }

        return Math.Sqrt(diff / norm);
    }
}
