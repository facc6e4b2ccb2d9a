using VoxCpm.Engine.Checkpoints;
using VoxCpm.Engine.Tensors;

namespace VoxCpm.Engine.Tests.Checkpoints;

public class WeightStoreTests
{
    [Fact]
    public void Take_names_the_missing_key_and_the_expected_shape()
    {
        var store = new WeightStore("/models/v05/pytorch_model.bin");
        var e = Assert.Throws<CheckpointFormatException>(() => store.Take("base_lm.layers.3.mlp.up_proj.weight", 160, 64));
        Assert.Equal("pytorch_model.bin: missing tensor 'base_lm.layers.3.mlp.up_proj.weight' (expected [160, 64]).", e.Message);
    }

    [Fact]
    public void Take_names_both_shapes_when_they_differ()
    {
        var store = new WeightStore("model.safetensors");
        store.Add("stop_head.weight", HostTensor<float>.Zeros(2, 64));
        var e = Assert.Throws<CheckpointFormatException>(() => store.Take("stop_head.weight", 2, 32));
        Assert.Equal("model.safetensors: tensor 'stop_head.weight' has shape [2, 64] but the config expects [2, 32].", e.Message);
    }

    [Fact]
    public void Tracks_what_was_never_taken()
    {
        var store = new WeightStore("x");
        store.Add("a", HostTensor<float>.Zeros(1));
        store.Add("b", HostTensor<float>.Zeros(2));
        store.Take("a", 1);

        Assert.True(store.Has("b"));
        Assert.Equal(["b"], store.Unused);
        Assert.Contains("1 tensor(s) were loaded but never used: 'b'", Assert.Throws<CheckpointFormatException>(store.AssertAllUsed).Message, StringComparison.Ordinal);
        store.Take("b", 2);
        store.AssertAllUsed();
        Assert.Equal(3, store.ParameterCount);
    }

    [Fact]
    public void A_recycled_array_is_read_into_again_by_a_later_tensor_of_its_size()
    {
        var store = new WeightStore("x");
        store.Add("a", [2, 3], values => values.AsSpan().Fill(1f));
        store.Add("b", [3, 2], values => values.AsSpan().Fill(2f));
        store.Add("c", [3, 2], values => values.AsSpan().Fill(3f));

        var a = store.Get("a");
        store.Recycle("a", a);
        var b = store.Get("b");

        Assert.Same(a.Data, b.Data);
        Assert.All(b.Data, v => Assert.Equal(2f, v));
        Assert.Equal([3, 2], b.Shape);

        // "a" no longer hands out the array "b" now fills: it is read again, into memory of its own.
        var aAgain = store.Get("a");
        Assert.NotSame(b.Data, aAgain.Data);
        Assert.All(aAgain.Data, v => Assert.Equal(1f, v));
        Assert.All(b.Data, v => Assert.Equal(2f, v));
    }

    [Fact]
    public void Only_the_last_read_of_a_tensor_read_on_demand_is_recycled()
    {
        var store = new WeightStore("x");
        var held = new HostTensor<float>([5f, 5f], 2);
        store.Add("held", held);
        store.Add("read", [2], values => values.AsSpan().Fill(6f));
        store.Add("next", [2], values => values.AsSpan().Fill(7f));

        var foreign = new HostTensor<float>([6f, 6f], 2); // not an array the store handed out
        store.Recycle("held", store.Get("held"));
        store.Recycle("read", foreign);

        var next = store.Get("next");
        Assert.NotSame(held.Data, next.Data);
        Assert.NotSame(foreign.Data, next.Data);
        Assert.Equal([6f, 6f], foreign.Data);
        Assert.Equal([5f, 5f], held.Data);
        Assert.Equal([7f, 7f], next.Data);
    }
}
