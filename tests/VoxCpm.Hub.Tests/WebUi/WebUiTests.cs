using System.Net;
using VoxCpm.TestKit;

namespace VoxCpm.Hub.Tests.WebUi;

public sealed class WebUiTests : IDisposable
{
    private readonly DirectoryInfo _webRoot = Directory.CreateTempSubdirectory("voxcpm-webroot-");

    [Fact]
    public async Task The_web_port_serves_the_ui_and_the_programmatic_port_does_not()
    {
        const string Marker = "<title>VoxCPM test page</title>";
        await File.WriteAllTextAsync(Path.Combine(_webRoot.FullName, "index.html"), Marker);
        var settings = TestSettings.With(TestSettings.UnreachableDatabase);
        settings["TTS_WEB_ROOT"] = _webRoot.FullName;
        await using var hub = await TestHub.StartAsync(settings);

        using var web = await hub.Web.GetAsync(new Uri("/", UriKind.Relative)).DefaultTimeout();
        using var api = await hub.Api.GetAsync(new Uri("/", UriKind.Relative)).DefaultTimeout();

        Assert.Equal(HttpStatusCode.OK, web.StatusCode);
        Assert.Equal(Marker, await web.Content.ReadAsStringAsync().DefaultTimeout());
        Assert.Equal(HttpStatusCode.NotFound, api.StatusCode);
    }

    public void Dispose() => _webRoot.Delete(recursive: true);
}
