using System.Net;
using System.Text.Json;
using VoxCpm.TestKit;

namespace VoxCpm.Hub.Tests.Http;

/// <summary>Reads the hub's OpenAPI document (/openapi/v1.json) so tests can hold what the API writes against it.</summary>
internal static class ApiDocumentReader
{
    public static async Task<JsonElement> GetAsync(HttpClient client)
    {
        using var response = await client.GetAsync(new Uri("/openapi/v1.json", UriKind.Relative)).DefaultTimeout();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync().DefaultTimeout()).RootElement.Clone();
    }

    /// <summary>Follows a <c>"$ref": "#/components/schemas/Name"</c> (also a nullable one, <c>oneOf</c> null or the ref) to its schema.</summary>
    public static JsonElement Resolve(JsonElement document, JsonElement schema)
    {
        foreach (var choice in new[] { "oneOf", "anyOf" })
        {
            if (schema.TryGetProperty(choice, out var choices) && choices.EnumerateArray().FirstOrDefault(c => c.TryGetProperty("$ref", out _)) is { ValueKind: JsonValueKind.Object } referenced)
            {
                return Resolve(document, referenced);
            }
        }

        if (!schema.TryGetProperty("$ref", out var reference))
        {
            return schema;
        }

        var name = reference.GetString()!["#/components/schemas/".Length..];
        return document.GetProperty("components").GetProperty("schemas").GetProperty(name);
    }

    /// <summary>The JSON schema of an operation's answer with <paramref name="status"/>.</summary>
    public static JsonElement ResponseSchema(JsonElement document, string path, string method, int status) =>
        Resolve(document, document.GetProperty("paths").GetProperty(path).GetProperty(method).GetProperty("responses")
            .GetProperty(status.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .GetProperty("content").GetProperty("application/json").GetProperty("schema"));

    /// <summary>The property names a schema declares, sorted.</summary>
    public static IReadOnlyList<string> PropertyNames(JsonElement schema) =>
        [.. schema.GetProperty("properties").EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal)];

    /// <summary>The property names an object as written has, sorted.</summary>
    public static IReadOnlyList<string> WrittenNames(JsonElement written) =>
        [.. written.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal)];
}
