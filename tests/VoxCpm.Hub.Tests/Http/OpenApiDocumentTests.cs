using System.Text.Json;
using VoxCpm.Hub.Synthesis.Binding;
using VoxCpm.TestKit;

namespace VoxCpm.Hub.Tests.Http;

/// <summary>The OpenAPI document at /openapi/v1.json: every endpoint named, summarized, typed and with its error body.</summary>
public sealed class OpenApiDocumentTests(PostgresDatabase database) : IClassFixture<PostgresDatabase>
{
    public static TheoryData<string, string, string> Operations => new()
    {
        { "/api/tts", "post", "Synthesize" },
        { "/api/jobs", "post", "SubmitJob" },
        { "/api/jobs/{id}", "get", "GetJob" },
        { "/api/jobs/{id}/audio", "get", "GetJobAudio" },
        { "/api/history", "get", "ListHistory" },
        { "/api/history/{id}", "get", "GetHistoryEntry" },
        { "/api/history/{id}", "delete", "DeleteHistoryEntry" },
        { "/api/history/{id}/audio", "get", "GetHistoryAudio" },
        { "/api/history/{id}/rerun", "post", "RerunHistoryEntry" },
        { "/api/voices", "post", "CreateVoice" },
        { "/api/voices", "get", "ListVoices" },
        { "/api/voices/{id}", "get", "GetVoice" },
        { "/api/voices/{id}", "delete", "DeleteVoice" },
        { "/api/voices/{id}/audio", "get", "GetVoiceAudio" },
        { "/api/text/plan", "post", "PlanText" },
        { "/v1/audio/speech", "post", "OpenAiCreateSpeech" },
    };

    [Fact]
    public async Task Every_operation_has_a_name_and_a_summary_and_every_error_response_the_error_body()
    {
        await using var hub = await TestHub.StartAsync(TestSettings.With(database.ConnectionString));
        var document = await ApiDocumentReader.GetAsync(hub.Api);

        Assert.Equal("3.1.1", document.GetProperty("openapi").GetString());
        Assert.False(string.IsNullOrEmpty(document.GetProperty("info").GetProperty("title").GetString()));
        var operations = document.GetProperty("paths").EnumerateObject()
            .SelectMany(path => path.Value.EnumerateObject().Where(o => o.Name is "get" or "post" or "delete" or "put" or "patch").Select(o => (Path: path.Name, Method: o.Name, Operation: o.Value)))
            .ToList();
        Assert.Equal(Operations.Count, operations.Count);
        foreach (var (path, method, operation) in operations)
        {
            Assert.False(string.IsNullOrWhiteSpace(operation.GetProperty("operationId").GetString()), $"{method} {path} has no operationId");
            Assert.False(string.IsNullOrWhiteSpace(operation.GetProperty("summary").GetString()), $"{method} {path} has no summary");
            foreach (var response in operation.GetProperty("responses").EnumerateObject().Where(r => r.Name is ['4' or '5', ..] && r.Name != "416"))
            {
                var schema = response.Value.GetProperty("content").GetProperty("application/json").GetProperty("schema");
                var error = ApiDocumentReader.Resolve(document, ApiDocumentReader.Resolve(document, schema).GetProperty("properties").GetProperty("error"));
                Assert.Equal(["code", "field", "message"], error.GetProperty("properties").EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
            }
        }
    }

    [Theory]
    [MemberData(nameof(Operations))]
    public async Task The_main_operations_are_described_on_both_ports(string path, string method, string operationId)
    {
        await using var hub = await TestHub.StartAsync(TestSettings.With(database.ConnectionString));
        foreach (var client in new[] { hub.Api, hub.Web })
        {
            var document = await ApiDocumentReader.GetAsync(client);
            var operation = document.GetProperty("paths").GetProperty(path).GetProperty(method);
            Assert.Equal(operationId, operation.GetProperty("operationId").GetString());
            Assert.NotEmpty(operation.GetProperty("responses").EnumerateObject());
        }
    }

    [Fact]
    public async Task Request_and_response_types_are_described()
    {
        await using var hub = await TestHub.StartAsync(TestSettings.With(database.ConnectionString));
        var document = await ApiDocumentReader.GetAsync(hub.Api);
        var paths = document.GetProperty("paths");

        var speech = paths.GetProperty("/v1/audio/speech").GetProperty("post");
        var speechBody = ApiDocumentReader.Resolve(document, speech.GetProperty("requestBody").GetProperty("content").GetProperty("application/json").GetProperty("schema"));
        Assert.Equal(["input", "instructions", "model", "response_format", "seed", "speed", "stream_format", "voice"], speechBody.GetProperty("properties").EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        var speechAudio = speech.GetProperty("responses").GetProperty("200").GetProperty("content");
        Assert.True(speechAudio.TryGetProperty("audio/wav", out _));
        Assert.True(speechAudio.TryGetProperty("audio/pcm", out _));
        Assert.True(speech.GetProperty("responses").TryGetProperty("404", out _));

        var submit = paths.GetProperty("/api/jobs").GetProperty("post");
        var request = ApiDocumentReader.Resolve(document, submit.GetProperty("requestBody").GetProperty("content").GetProperty("application/json").GetProperty("schema"));
        Assert.True(request.GetProperty("properties").TryGetProperty("text", out _));
        Assert.True(request.GetProperty("properties").TryGetProperty("cfg_value", out _));
        Assert.False(request.GetProperty("properties").TryGetProperty("cfgValue", out _));
        var accepted = ApiDocumentReader.Resolve(document, submit.GetProperty("responses").GetProperty("202").GetProperty("content").GetProperty("application/json").GetProperty("schema"));
        Assert.True(accepted.GetProperty("properties").TryGetProperty("job_id", out _));
        Assert.True(accepted.GetProperty("properties").TryGetProperty("synthesis_id", out _));

        var rerun = paths.GetProperty("/api/history/{id}/rerun").GetProperty("post").GetProperty("responses");
        Assert.True(rerun.TryGetProperty("202", out _));
        Assert.True(rerun.TryGetProperty("404", out _));

        var audio = paths.GetProperty("/api/history/{id}/audio").GetProperty("get").GetProperty("responses");
        Assert.True(audio.GetProperty("200").GetProperty("content").TryGetProperty("audio/wav", out _));
        Assert.True(audio.TryGetProperty("206", out _));
        Assert.True(audio.TryGetProperty("416", out _));

        var page = ApiDocumentReader.Resolve(document, paths.GetProperty("/api/history").GetProperty("get").GetProperty("responses").GetProperty("200").GetProperty("content").GetProperty("application/json").GetProperty("schema"));
        Assert.True(page.GetProperty("properties").TryGetProperty("items", out _));
        Assert.True(page.GetProperty("properties").TryGetProperty("total", out _));
    }

    [Fact]
    public async Task Every_schema_spells_its_properties_and_enum_values_in_snake_case()
    {
        await using var hub = await TestHub.StartAsync(TestSettings.With(database.ConnectionString));
        var document = await ApiDocumentReader.GetAsync(hub.Api);
        var schemas = document.GetProperty("components").GetProperty("schemas").EnumerateObject().ToList();
        Assert.NotEmpty(schemas);
        foreach (var schema in schemas)
        {
            foreach (var name in Names(schema.Value))
            {
                Assert.True(IsSnakeCase(name), $"{schema.Name} spells '{name}' in another case");
            }
        }

        var parameters = document.GetProperty("paths").EnumerateObject()
            .SelectMany(path => path.Value.EnumerateObject().Where(o => o.Value.ValueKind == JsonValueKind.Object && o.Value.TryGetProperty("parameters", out _)))
            .SelectMany(operation => operation.Value.GetProperty("parameters").EnumerateArray().Select(p => p.GetProperty("name").GetString()!))
            .ToList();
        Assert.Contains("page_size", parameters);
        Assert.All(parameters, name => Assert.True(IsSnakeCase(name), $"the query or path parameter '{name}' is spelled in another case"));

        // The request body's fields are exactly the raw protocol's params, as the one binder reads them.
        var request = ApiDocumentReader.Resolve(document, document.GetProperty("paths").GetProperty("/api/tts").GetProperty("post")
            .GetProperty("requestBody").GetProperty("content").GetProperty("application/json").GetProperty("schema"));
        var fields = RequestFieldNames.SnakeCase;
        string[] expected =
        [
            fields.Text, fields.Mode, fields.PromptWavUrl, fields.PromptText, fields.VoiceId, fields.CfgValue, fields.InferenceTimesteps,
            fields.Normalize, fields.Denoise, fields.RetryBadcase, fields.Seed, fields.AudioFormat, fields.VoiceDescription, fields.ReferenceWavUrl,
        ];
        Assert.Equal(expected.Order(StringComparer.Ordinal), ApiDocumentReader.PropertyNames(request));
        var mode = ApiDocumentReader.Resolve(document, request.GetProperty("properties").GetProperty("mode"));
        Assert.Equal(["non_streaming", "streaming"], mode.GetProperty("enum").EnumerateArray().Select(v => v.GetString()!).Order(StringComparer.Ordinal));
    }

    // Property names and string enum values anywhere in a schema, nested ones included.
    private static IEnumerable<string> Names(JsonElement schema)
    {
        if (schema.ValueKind != JsonValueKind.Object)
        {
            yield break;
        }

        foreach (var property in schema.EnumerateObject())
        {
            if (property.Name == "properties")
            {
                foreach (var field in property.Value.EnumerateObject())
                {
                    yield return field.Name;
                    foreach (var nested in Names(field.Value))
                    {
                        yield return nested;
                    }
                }
            }
            else if (property.Name == "enum")
            {
                foreach (var value in property.Value.EnumerateArray().Where(v => v.ValueKind == JsonValueKind.String))
                {
                    yield return value.GetString()!;
                }
            }
            else if (property.Name is "items" or "additionalProperties" or "oneOf" or "anyOf" or "allOf")
            {
                var parts = property.Value.ValueKind == JsonValueKind.Array ? property.Value.EnumerateArray().ToList() : [property.Value];
                foreach (var nested in parts.SelectMany(Names))
                {
                    yield return nested;
                }
            }
        }
    }

    private static bool IsSnakeCase(string name) => name.Length > 0 && name.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '_');
}
