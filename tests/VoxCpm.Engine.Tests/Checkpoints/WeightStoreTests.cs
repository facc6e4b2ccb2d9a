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
}
