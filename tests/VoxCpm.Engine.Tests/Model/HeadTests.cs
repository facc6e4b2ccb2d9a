using VoxCpm.Engine.Parity;
using VoxCpm.TestKit;
using Xunit.Abstractions;

namespace VoxCpm.Engine.Tests.Model;

[Collection(ModulesGroup.Name)]
public class HeadTests(ModulesFixture fixture, ITestOutputHelper output)
{
    [Theory]
    [InlineData("v15")]
    public void Fsq_reproduces_the_quantized_latent(string checkpoint)
    {
        var modules = fixture.Modules(checkpoint);
        using var fixtureCase = FixtureCase.Open(TinyFixtures.Case(checkpoint, "fsq"));

        var (_, latent) = modules.Fsq(fixtureCase.Float("input"));

        // The case's "output" tensor holds the quantized latent again (its shape is [N, latent_dim]); the projected FSQ
        // output is checked against prefill_fsq_out / fwd_fsq_out in the generation cases.
        ParityAssert.AssertClose(output, "fsq quantized_latent", fixtureCase.Float("quantized_latent"), latent);
        ParityAssert.AssertClose(output, "fsq output (recorded as the latent)", fixtureCase.Float("output"), latent);
    }

    [Theory]
    [InlineData("v15")]
    public void Stop_head_matches_the_reference_logits(string checkpoint)
    {
        var modules = fixture.Modules(checkpoint);
        using var fixtureCase = FixtureCase.Open(TinyFixtures.Case(checkpoint, "stop_head"));

        var logits = modules.StopLogits(fixtureCase.Float("input"));

        ParityAssert.AssertClose(output, "stop_head logits", fixtureCase.Float("logits"), logits);
    }
}
