using VoxCpm.Engine.Parity;
using VoxCpm.TestKit;
using Xunit.Abstractions;

namespace VoxCpm.Engine.Tests.Model;

[Collection(ModulesGroup.Name)]
public class LocEncTests(ModulesFixture fixture, ITestOutputHelper output)
{
    [Theory]
    [InlineData("v15")]
    public void Encoder_matches_the_reference_before_and_after_the_lm_projection(string checkpoint)
    {
        var modules = fixture.Modules(checkpoint);
        using var fixtureCase = FixtureCase.Open(TinyFixtures.Case(checkpoint, "locenc"));
        var feat = fixtureCase.Float("feat");
        var patches = feat.Reshape(feat.Shape[1], feat.Shape[2], feat.Shape[3]);

        var (featEmbed, encoderOut) = modules.EncodePatches(patches);

        ParityAssert.AssertClose(output, "locenc_out", fixtureCase.Float("locenc_out"), encoderOut);
        ParityAssert.AssertClose(output, "enc_to_lm_proj_out", fixtureCase.Float("enc_to_lm_proj_out"), featEmbed);
    }
}
