using VoxCpm.Engine.Model;
using VoxCpm.Engine.Parity;
using VoxCpm.TestKit;
using Xunit.Abstractions;

namespace VoxCpm.Engine.Tests.Model;

[Collection(ModulesGroup.Name)]
public class CausalLmTests(ModulesFixture fixture, ITestOutputHelper output)
{
    [Theory]
    [InlineData("v15")]
    public void Prefill_matches_the_reference_base_and_residual_lm(string checkpoint)
    {
        var modules = fixture.Modules(checkpoint);
        using var fixtureCase = FixtureCase.Open(TinyFixtures.Case(checkpoint, "lm_prefill"));
        long[] ids = fixtureCase.Int64("ids").Data;
        int length = ids.Length;

        var embeds = modules.TextEmbeddings(ids);
        ParityAssert.AssertClose(output, "inputs_embeds", fixtureCase.Float("inputs_embeds"), embeds);

        using var baseCache = modules.BaseLm.CreateCache(1);
        var baseOut = VoxCpmModules.Prefill(modules.BaseLm, baseCache, embeds.Reshape(1, length, embeds.Shape[1]));
        ParityAssert.AssertClose(output, "base_lm_out", fixtureCase.Float("base_lm_out"), baseOut.Hidden);
        ParityAssert.AssertClose(output, "layer0_k (GQA rotary, LongRoPE)", fixtureCase.Float("layer0_k"), baseCache.Read(0, keys: true, length));
        ParityAssert.AssertClose(output, "layer0_v", fixtureCase.Float("layer0_v"), baseCache.Read(0, keys: false, length));
        Assert.Equal(length, baseCache.Lengths[0]);

        using var residualCache = modules.ResidualLm.CreateCache(1);
        var residualOut = VoxCpmModules.Prefill(modules.ResidualLm, residualCache, fixtureCase.Float("base_lm_out"));
        ParityAssert.AssertClose(output, "residual_lm_out", fixtureCase.Float("residual_lm_out"), residualOut.Hidden);
    }

    [Theory]
    [InlineData("v15")]
    public void Decoding_token_by_token_equals_one_prefill(string checkpoint)
    {
        var modules = fixture.Modules(checkpoint);
        using var fixtureCase = FixtureCase.Open(TinyFixtures.Case(checkpoint, "lm_prefill"));
        var embeds = fixtureCase.Float("inputs_embeds");
        int length = embeds.Shape[1];
        int hidden = embeds.Shape[2];

        // Two rows in one batch, stepping through the same tokens: exercises the shared past/present buffer per row.
        using var cache = modules.BaseLm.CreateCache(2);
        var expected = fixtureCase.Float("base_lm_out");
        var stepped = new float[length * hidden];
        for (int t = 0; t < length; t++)
        {
            var token = ParityAssert.Rows(embeds.Reshape(length, hidden), t, 1);
            var pair = new Tensors.HostTensor<float>([.. token.Data, .. token.Data], 2, hidden);
            var result = VoxCpmModules.DecodeStep(modules.BaseLm, cache, pair).Hidden;
            Assert.Equal(result.Data.AsSpan(0, hidden).ToArray(), result.Data.AsSpan(hidden, hidden).ToArray());
            result.Data.AsSpan(0, hidden).CopyTo(stepped.AsSpan(t * hidden));
        }

        ParityAssert.AssertClose(output, "base_lm decode steps vs prefill", expected, new Tensors.HostTensor<float>(stepped, 1, length, hidden));
        Assert.Equal([length, length], cache.Lengths);
    }
}
