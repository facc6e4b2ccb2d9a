namespace VoxCpm.ModelDownloader.Tests.FakeHub;

internal sealed record RecordedRequest(string Method, string Path, string? Range, string? Authorization);
