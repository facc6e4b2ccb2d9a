using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using VoxCpm.TestKit;

namespace VoxCpm.Hub.Tests.Scaling;

/// <summary>
/// The real VoxCpm.Hub executable as a separate node on 127.0.0.1, for what only a process shows: being killed
/// (no graceful shutdown, no requeue, no last heartbeat). Its output is kept for the failure message.
/// </summary>
internal sealed class HubNodeProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();

    private HubNodeProcess(Process process, int port)
    {
        _process = process;
        Api = LoopbackHost.CreateClient($"http://127.0.0.1:{port}");
    }

    public HttpClient Api { get; }

    /// <summary>The last lines the node wrote, for assertion messages.</summary>
    public string RecentOutput => string.Join(Environment.NewLine, _output.TakeLast(40));

    public static HubNodeProcess Start(IReadOnlyDictionary<string, string?> settings)
    {
        var port = FreePort();
        var webPort = FreePort();
        var start = HubProcess.StartInfo(AppContext.BaseDirectory, settings);
        start.Environment["TTS_HOST"] = "127.0.0.1";
        start.Environment["TTS_PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["TTS_WEB_PORT"] = webPort.ToString(System.Globalization.CultureInfo.InvariantCulture);

        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        var node = new HubNodeProcess(process, port);
        process.OutputDataReceived += (_, line) => node.Keep(line.Data);
        process.ErrorDataReceived += (_, line) => node.Keep(line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return node;
    }

    /// <summary>Ends the process at once, like a crash or a power cut: nothing of the hub's shutdown runs.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync().DefaultTimeout();
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        Api.Dispose();
        _process.Dispose();
    }

    // The OS picks a free port; it is released for the child to bind. TTS_PORT cannot be 0.
    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        _output.Enqueue(line);
        while (_output.Count > 200)
        {
            _output.TryDequeue(out _);
        }
    }
}
