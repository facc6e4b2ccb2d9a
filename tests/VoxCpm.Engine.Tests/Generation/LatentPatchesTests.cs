using VoxCpm.Engine.Generation;

namespace VoxCpm.Engine.Tests.Generation;

/// <summary>A request's latent history: patches appended in place, read back, moved between histories and cut.</summary>
public sealed class LatentPatchesTests
{
    private const int PatchValues = 3;

    [Fact]
    public void Appended_patches_read_back_in_order_past_any_growth()
    {
        var patches = new LatentPatches(PatchValues);
        for (int p = 0; p < 200; p++)
        {
            Fill(patches.Append(), p);
        }

        Assert.Equal(200, patches.Count);
        for (int p = 0; p < 200; p++)
        {
            Assert.Equal(Patch(p), patches[p].ToArray());
        }

        Assert.Equal([.. Patch(198), .. Patch(199)], patches.Slice(198, 2).ToArray());
    }

    [Fact]
    public void Adding_a_range_copies_the_patches_from_the_first_given()
    {
        var source = Of(0, 1, 2, 3);
        var target = Of(10);

        target.AddRange(source, 2);

        Assert.Equal(3, target.Count);
        Assert.Equal([.. Patch(10), .. Patch(2), .. Patch(3)], target.Slice(0, 3).ToArray());
    }

    [Fact]
    public void Removing_a_range_moves_later_patches_up()
    {
        var patches = Of(0, 1, 2, 3, 4);

        patches.RemoveRange(1, 2);

        Assert.Equal(3, patches.Count);
        Assert.Equal([.. Patch(0), .. Patch(3), .. Patch(4)], patches.Slice(0, 3).ToArray());
    }

    [Fact]
    public void Reading_past_the_end_or_after_a_clear_is_refused()
    {
        var patches = Of(0, 1);

        Assert.Throws<ArgumentOutOfRangeException>(() => patches[2].ToArray());
        patches.Clear();
        Assert.Equal(0, patches.Count);
        Assert.Throws<ArgumentOutOfRangeException>(() => patches[0].ToArray());
        Assert.Throws<ArgumentOutOfRangeException>(() => patches.Slice(0, 1).ToArray());
    }

    private static LatentPatches Of(params int[] ids)
    {
        var patches = new LatentPatches(PatchValues);
        foreach (int id in ids)
        {
            patches.Add(Patch(id));
        }

        return patches;
    }

    private static float[] Patch(int id) => [id, id + 0.25f, id + 0.5f];

    private static void Fill(Span<float> destination, int id) => Patch(id).CopyTo(destination);
}
