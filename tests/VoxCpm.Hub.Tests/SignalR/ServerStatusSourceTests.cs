using VoxCpm.Hub.SignalR;

namespace VoxCpm.Hub.Tests.SignalR;

/// <summary>The status names the model as users know it, never the server's filesystem path.</summary>
public sealed class ServerStatusSourceTests
{
    [Theory]
    [InlineData("openbmb/VoxCPM-0.5B", "openbmb/VoxCPM-0.5B")]
    [InlineData("/srv/models/VoxCPM1.5/", "VoxCPM1.5")]
    [InlineData("./models/voxcpm", "voxcpm")]
    [InlineData("a/b/VoxCPM-0.5B", "VoxCPM-0.5B")]
    public void The_model_is_shown_by_name(string configured, string shown) =>
        Assert.Equal(shown, ServerStatusSource.DisplayName(configured));
}
