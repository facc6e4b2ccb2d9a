using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using Onnx;
using VoxCpm.Engine.Tensors;

namespace VoxCpm.Engine.Onnx;

/// <summary>
/// Builds an ONNX graph in code. Node outputs get unique names; weights become external-data initializers whose
/// bytes (<see cref="OnnxModel.Weights"/>) are written to a file for the session (<see cref="ExternalWeightFile"/>).
/// </summary>
internal sealed class GraphBuilder
{
    /// <summary>
    /// External-data location every weight points at until <see cref="ExternalWeightFile"/> points it at the real file.
    /// </summary>
    public const string WeightPlaceholderFile = "voxcpm-weights.placeholder";

    /// <summary>Weights smaller than this are embedded in the protobuf instead (shape constants, biases of tiny models).</summary>
    private const int EmbedBelowElements = 1024;

    private readonly GraphProto _graph;
    private readonly List<ExternalWeight> _weights = [];
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);
    private int _counter;

    public GraphBuilder(string name)
    {
        _graph = new GraphProto { Name = name };
    }

    public string Name => _graph.Name;

    /// <summary>Declares a graph input. A dimension is an <see cref="int"/> (fixed) or a <see cref="string"/> (symbolic).</summary>
    public string Input(string name, TensorProto.Types.DataType type, params object[] dims)
    {
        _graph.Input.Add(ValueInfo(Claim(name), type, dims));
        return name;
    }

    public void Output(string name, TensorProto.Types.DataType type, params object[] dims) =>
        _graph.Output.Add(ValueInfo(name, type, dims));

    /// <summary>Registers a float weight; large ones stay in managed memory.</summary>
    public string Weight(string name, HostTensor<float> tensor)
    {
        Claim(name);
        if (tensor.Data.Length < EmbedBelowElements)
        {
            _graph.Initializer.Add(FloatTensor(name, tensor.Data, tensor.Shape));
            return name;
        }

        return External(TensorProto.Types.DataType.Float, tensor.LongShape, ExternalWeight.Of(name, tensor.Data));
    }

    /// <summary>
    /// Registers a weight of <paramref name="shape"/> whose values <paramref name="fill"/> computes only when the
    /// session's weight file is written (see <see cref="ExternalWeight"/>); small ones are computed now and embedded.
    /// </summary>
    public string Weight<T>(string name, TensorProto.Types.DataType type, int[] shape, Action<Span<T>> fill)
        where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(fill);
        long count = HostTensor<float>.ElementCount(shape);
        if (count < EmbedBelowElements)
        {
            var values = new T[count];
            fill(values);
            return RawWeight(name, values, shape, type);
        }

        Claim(name);
        return External(type, Array.ConvertAll(shape, d => (long)d), ExternalWeight.Computed(name, count, fill));
    }

    /// <summary>Registers an int8 weight (e.g. per-channel quantized matrices); large ones stay in managed memory.</summary>
    public string Weight(string name, sbyte[] data, params int[] shape) => RawWeight(name, data, shape, TensorProto.Types.DataType.Int8);

    /// <summary>Registers a uint8 weight (e.g. packed quantized codes); large ones stay in managed memory.</summary>
    public string Weight(string name, byte[] data, params int[] shape) => RawWeight(name, data, shape, TensorProto.Types.DataType.Uint8);

    /// <summary>Registers a float16 weight (a float16 graph's matrices, norms and tables); large ones stay in managed memory.</summary>
    public string Weight(string name, Float16[] data, params int[] shape) => RawWeight(name, data, shape, TensorProto.Types.DataType.Float16);

    // Small weights go into the graph as raw bytes; large ones go to ORT through the session's weight file.
    private string RawWeight<T>(string name, T[] data, int[] shape, TensorProto.Types.DataType type)
        where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(shape);
        Claim(name);
        long[] longShape = Array.ConvertAll(shape, d => (long)d);
        if (data.Length < EmbedBelowElements)
        {
            var proto = new TensorProto { Name = name, DataType = (int)type, RawData = ByteString.CopyFrom(System.Runtime.InteropServices.MemoryMarshal.AsBytes(data.AsSpan())) };
            proto.Dims.AddRange(longShape);
            _graph.Initializer.Add(proto);
            return name;
        }

        return External(type, longShape, ExternalWeight.Of(name, data));
    }

    public string Constant(float[] values, params int[] shape) => AddInitializer(FloatTensor(Fresh("const"), values, shape));

    public string Constant(float value) => Constant([value]);

    public string ConstantInt64(long[] values, params int[] shape)
    {
        var proto = new TensorProto { Name = Fresh("const"), DataType = (int)TensorProto.Types.DataType.Int64 };
        proto.Dims.AddRange(shape.Length == 0 && values.Length != 1 ? [values.Length] : shape.Select(d => (long)d));
        proto.Int64Data.AddRange(values);
        return AddInitializer(proto);
    }

    /// <summary>A 1-D int64 constant (shapes, axes, split sizes).</summary>
    public string Int64s(params long[] values) => ConstantInt64(values, values.Length);

    public string Op(string opType, string[] inputs, params OnnxAttribute[] attributes) =>
        OpWithDomain("", opType, inputs, 1, attributes)[0];

    public string[] Op(string opType, string[] inputs, int outputCount, params OnnxAttribute[] attributes) =>
        OpWithDomain("", opType, inputs, outputCount, attributes);

    /// <summary>A contrib operator from the <c>com.microsoft</c> domain.</summary>
    public string[] MsOp(string opType, string[] inputs, int outputCount, params OnnxAttribute[] attributes) =>
        OpWithDomain("com.microsoft", opType, inputs, outputCount, attributes);

    public string[] OpWithDomain(string domain, string opType, string[] inputs, int outputCount, params OnnxAttribute[] attributes)
    {
        var node = new NodeProto { OpType = opType, Domain = domain, Name = Fresh(opType) };
        node.Input.AddRange(inputs);
        var outputs = new string[outputCount];
        for (int i = 0; i < outputCount; i++)
        {
            outputs[i] = Fresh(opType.ToLowerInvariant());
        }

        node.Output.AddRange(outputs);
        node.Attribute.AddRange(attributes.Select(a => a.Proto));
        _graph.Node.Add(node);
        return outputs;
    }

    /// <summary>
    /// A node whose outputs get the given names; an empty name leaves that optional output unproduced. Use it where an
    /// output must be a graph output itself (an Identity in between would defeat in-place buffers such as a shared KV cache).
    /// </summary>
    public string[] OpNamed(string domain, string opType, string[] inputs, string[] outputs, params OnnxAttribute[] attributes)
    {
        var node = new NodeProto { OpType = opType, Domain = domain, Name = Fresh(opType) };
        node.Input.AddRange(inputs);
        var names = new string[outputs.Length];
        for (int i = 0; i < outputs.Length; i++)
        {
            names[i] = outputs[i].Length == 0 ? "" : Claim(outputs[i]);
        }

        node.Output.AddRange(names);
        node.Attribute.AddRange(attributes.Select(a => a.Proto));
        _graph.Node.Add(node);
        return names;
    }

    /// <summary>Renames a value by routing it through Identity, so a graph output gets a stable name.</summary>
    public void Alias(string value, string name)
    {
        var node = new NodeProto { OpType = "Identity", Name = Fresh("Identity") };
        node.Input.Add(value);
        node.Output.Add(Claim(name));
        _graph.Node.Add(node);
    }

    public OnnxModel Build()
    {
        var model = new ModelProto
        {
            IrVersion = 10,
            ProducerName = "VoxCpm.Engine",
            Graph = _graph,
        };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = 21 });
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "com.microsoft", Version = 1 });
        return new OnnxModel(_graph.Name, model.ToByteArray(), [.. _weights]);
    }

    private string External(TensorProto.Types.DataType type, long[] shape, ExternalWeight weight)
    {
        var proto = new TensorProto { Name = weight.Name, DataType = (int)type, DataLocation = TensorProto.Types.DataLocation.External };
        proto.Dims.AddRange(shape);
        proto.ExternalData.Add(new StringStringEntryProto { Key = "location", Value = WeightPlaceholderFile });
        proto.ExternalData.Add(new StringStringEntryProto { Key = "offset", Value = "0" });
        proto.ExternalData.Add(new StringStringEntryProto { Key = "length", Value = weight.ByteLength.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        _graph.Initializer.Add(proto);
        _weights.Add(weight);
        return weight.Name;
    }

    private string AddInitializer(TensorProto proto)
    {
        _graph.Initializer.Add(proto);
        return proto.Name;
    }

    private static TensorProto FloatTensor(string name, float[] values, int[] shape)
    {
        var proto = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Float };
        proto.Dims.AddRange(shape.Select(d => (long)d));
        proto.FloatData.AddRange(values);
        return proto;
    }

    private string Claim(string name) =>
        _names.Add(name) ? name : throw new InvalidOperationException($"Graph '{Name}' already has a value named '{name}'.");

    private string Fresh(string hint)
    {
        string name;
        do
        {
            name = $"{hint}_{_counter++}";
        }
        while (!_names.Add(name));
        return name;
    }

    private static ValueInfoProto ValueInfo(string name, TensorProto.Types.DataType type, object[] dims)
    {
        var shape = new TensorShapeProto();
        foreach (var d in dims)
        {
            shape.Dim.Add(d switch
            {
                int i => new TensorShapeProto.Types.Dimension { DimValue = i },
                long l => new TensorShapeProto.Types.Dimension { DimValue = l },
                string s => new TensorShapeProto.Types.Dimension { DimParam = s },
                _ => throw new ArgumentException($"Dimension '{d}' must be an int or a symbolic name."),
            });
        }

        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)type, Shape = shape } },
        };
    }
}
