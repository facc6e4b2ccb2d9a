using System.Net;
using System.Net.Sockets;

namespace VoxCpm.Hub.Tests.History;

/// <summary>
/// A loopback port that is closed until <see cref="StartAsync"/> and then forwards every connection to a real
/// server: a database that is down and comes back, without stopping the shared test PostgreSQL.
/// <see cref="CutAsync"/> takes it down again mid-flight: the port closes and every forwarded connection drops.
/// </summary>
internal sealed class TcpForwarder : IAsyncDisposable
{
    private readonly IPEndPoint _target;
    private CancellationTokenSource _session = new();
    private TcpListener? _listener;
    private Task _accepting = Task.CompletedTask;

    public TcpForwarder(int port, IPEndPoint target)
    {
        Port = port;
        _target = target;
    }

    public int Port { get; }

    /// <summary>A port that was free a moment ago (nothing listens on it until <see cref="StartAsync"/>).</summary>
    public static int FreePort()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }

    public Task StartAsync()
    {
        _session = new CancellationTokenSource();
        _listener = new TcpListener(IPAddress.Loopback, Port);
        _listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        _listener.Start();
        _accepting = AcceptAsync(_listener, _session.Token);
        return Task.CompletedTask;
    }

    /// <summary>Stops listening and drops every forwarded connection; <see cref="StartAsync"/> brings it back.</summary>
    public async Task CutAsync()
    {
        if (_listener is null)
        {
            return;
        }

        await _session.CancelAsync();
        _listener?.Stop();
        _listener = null;
        try
        {
            // The accept loop is this object's own task, started in StartAsync; no synchronization context is involved.
#pragma warning disable VSTHRD003
            await _accepting;
#pragma warning restore VSTHRD003
        }
        catch (OperationCanceledException)
        {
        }
        catch (SocketException)
        {
        }

        _session.Dispose();
    }

    public async ValueTask DisposeAsync() => await CutAsync();

    private async Task AcceptAsync(TcpListener listener, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            var client = await listener.AcceptTcpClientAsync(cancellationToken);
            _ = PipeAsync(client, cancellationToken);
        }
    }

    private async Task PipeAsync(TcpClient client, CancellationToken cancellationToken)
    {
        using (client)
        using (var server = new TcpClient())
        {
            try
            {
                await server.ConnectAsync(_target, cancellationToken);
                var up = client.GetStream().CopyToAsync(server.GetStream(), cancellationToken);
                var down = server.GetStream().CopyToAsync(client.GetStream(), cancellationToken);
                await Task.WhenAny(up, down);
            }
            catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException)
            {
            }

            // A cut drops the connection hard (RST), as a database host that goes away would.
            client.Client.LingerState = new LingerOption(true, 0);
            server.Client.LingerState = new LingerOption(true, 0);
        }
    }
}
