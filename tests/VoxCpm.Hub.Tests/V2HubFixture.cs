using VoxCpm.TestKit;

namespace VoxCpm.Hub.Tests;

/// <summary>
/// A real hub on the tiny VoxCPM2 checkpoint (48 kHz out, voice design and reference audio), private prompt URLs
/// allowed (the tests' audio server is on loopback).
/// </summary>
public class V2HubFixture : TinyHubFixture
{
    protected override string ModelDirectory => TinyFixtures.V2;

    protected override void Configure(Dictionary<string, string?> settings) => settings["TTS_PROMPT_URL_ALLOW_PRIVATE"] = "true";
}
