namespace VoxCpm.ModelDownloader.Tests.FakeHub;

/// <summary>Misbehaviours the fake hub can be told to show. Counters are consumed once per matching request.</summary>
internal sealed class FakeHubFaults
{
    /// <summary>The LFS file whose next <see cref="AbortCount"/> GETs are cut after <see cref="AbortAfterBytes"/> bytes.</summary>
    public string? AbortFile { get; set; }

    public int AbortAfterBytes { get; set; }

    public int AbortCount { get; set; }

    /// <summary>The LFS file whose next <see cref="StallCount"/> GETs send some bytes, then nothing until the client leaves.</summary>
    public string? StallFile { get; set; }

    public int StallCount { get; set; }

    /// <summary>Serve this file with one byte flipped (the etag still names the true content).</summary>
    public string? CorruptFile { get; set; }

    /// <summary>Answer Range requests with 200 and the whole body, like a server without range support.</summary>
    public bool IgnoreRange { get; set; }

    /// <summary>The API listing answers 503.</summary>
    public bool ApiUnavailable { get; set; }

    /// <summary>The next N requests on /resolve/ answer 503.</summary>
    public int ResolveServerErrors { get; set; }

    /// <summary>When set, every request must carry "Authorization: Bearer TOKEN" or gets 401.</summary>
    public string? RequiredToken { get; set; }
}
