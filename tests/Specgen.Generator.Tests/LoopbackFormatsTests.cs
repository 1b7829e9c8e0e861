using System;
using System.Collections.Generic;
using System.Globalization;
using System.Net.Http;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;
using Specgen.Runtime;

namespace Specgen.Generator.Tests;

/// <summary>
/// Every format over a real socket, both ways: parameters spelled in invariant culture, a body
/// without its read-only members, and a response read back into Guid, DateOnly, decimal, byte[]
/// and the sized integers; a value that breaks its format names the member.
/// </summary>
public sealed class LoopbackFormatsTests
{
    private const string Account = "7c9e6679-7425-40de-944b-e07fc1f90ae7";
    private const string Id = "3f2504e0-4f89-11d3-9a0c-0305e82c3301";

    [Fact]
    public async Task Parameters_with_formats_go_as_invariant_text()
    {
        using GeneratedAssembly generated = GeneratedAssembly.FromScenario("Formats");
        await using RecordingServer server = await RecordingServer.StartAsync(Respond("[]"));
        object client = Client(generated, server);
        CultureInfo culture = CultureInfo.CurrentCulture;
        try
        {
            // A culture with a decimal comma and another calendar must change nothing on the wire.
            CultureInfo.CurrentCulture = new CultureInfo("ar-SA");
            await GeneratedAssembly.CallAsync(
                client,
                "ListEntriesAsync",
                Guid.Parse(Account),
                new DateOnly(2026, 12, 7),
                new DateTimeOffset(2026, 12, 7, 10, 30, 0, TimeSpan.FromHours(2)),
                new List<Guid> { Guid.Parse(Id), Guid.Parse(Account) },
                0.1m,
                (ushort)65535,
                null,
                CancellationToken.None);
        }
        finally
        {
            CultureInfo.CurrentCulture = culture;
        }

        Seen sent = Assert.Single(server.Seen);
        Assert.Equal($"/accounts/{Account}/entries", sent.Path);
        Assert.Equal($"?on=2026-12-07&ids={Id}&ids={Account}&min=0.1&page=65535", sent.Query);
        Assert.Equal("2026-12-07T10:30:00.0000000+02:00", sent.Header("since"));
    }

    [Fact]
    public async Task A_body_round_trips_every_format_and_leaves_its_read_only_members_out_of_the_request()
    {
        using GeneratedAssembly generated = GeneratedAssembly.FromScenario("Formats");
        // The server stores what it got and adds what only it sets, as a real one does.
        await using RecordingServer server = await RecordingServer.StartAsync(async context =>
        {
            JsonElement sent = (await JsonDocument.ParseAsync(context.Request.Body)).RootElement;
            var stored = new Dictionary<string, JsonElement>();
            foreach (JsonProperty member in sent.EnumerateObject())
            {
                if (member.Name is not ("signature" or "pin"))
                {
                    stored[member.Name] = member.Value.Clone();
                }
            }

            stored["id"] = JsonSerializer.SerializeToElement(Id);
            stored["createdAt"] = JsonSerializer.SerializeToElement("2026-12-07T08:00:00.5+05:30");
            stored["revision"] = JsonSerializer.SerializeToElement(3);
            context.Response.StatusCode = 201;
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(JsonSerializer.Serialize(stored));
        });
        object client = Client(generated, server);
        object entry = generated.Read("Entry", $$"""
            {
              "id": "00000000-0000-0000-0000-000000000001", "createdAt": "2020-01-01T00:00:00Z", "revision": 1,
              "signature": "AQID", "pin": "1234", "account": "{{Account}}",
              "amount": 123456.78901234567890123, "rate": 0.25, "booked": "2026-02-28", "at": "10:30:00+02:00",
              "term": "P1Y2M", "receipt": "../receipts/7", "attachment": "aGVsbG8=",
              "tiny": -128, "small": -32768, "octet": 255, "port": 65535, "count": 4294967295, "total": 18446744073709551615,
              "tags": ["{{Id}}"], "holidays": { "newYear": "2027-01-01" }, "unknownFormat": "TRK-1"
            }
            """);

        object created = (await GeneratedAssembly.CallAsync(client, "CreateEntryAsync", Guid.Parse(Account), entry, null, CancellationToken.None))!;

        JsonElement wire = JsonDocument.Parse(Assert.Single(server.Seen).Body).RootElement;
        Assert.False(wire.TryGetProperty("id", out _));
        Assert.False(wire.TryGetProperty("createdAt", out _));
        Assert.False(wire.TryGetProperty("revision", out _));
        Assert.Equal("AQID", wire.GetProperty("signature").GetString());
        Assert.Equal("123456.78901234567890123", wire.GetProperty("amount").GetRawText());
        Assert.Equal("2026-02-28", wire.GetProperty("booked").GetString());
        Assert.Equal("18446744073709551615", wire.GetProperty("total").GetRawText());

        Assert.Equal(Guid.Parse(Id), GeneratedAssembly.Get(created, "Id"));
        Assert.Equal(new DateTimeOffset(2026, 12, 7, 8, 0, 0, 500, TimeSpan.FromMinutes(330)), GeneratedAssembly.Get(created, "CreatedAt"));
        Assert.Equal(TimeSpan.FromMinutes(330), ((DateTimeOffset)GeneratedAssembly.Get(created, "CreatedAt")!).Offset);
        Assert.Equal(123456.78901234567890123m, GeneratedAssembly.Get(created, "Amount"));
        Assert.Equal(0.25f, GeneratedAssembly.Get(created, "Rate"));
        Assert.Equal(new DateOnly(2026, 2, 28), GeneratedAssembly.Get(created, "Booked"));
        Assert.Equal("10:30:00+02:00", GeneratedAssembly.Get(created, "At"));
        Assert.Equal("P1Y2M", GeneratedAssembly.Get(created, "Term"));
        Assert.Equal("../receipts/7", GeneratedAssembly.Get(created, "Receipt"));
        Assert.Equal("hello"u8.ToArray(), (byte[])GeneratedAssembly.Get(created, "Attachment")!);
        Assert.Equal((sbyte)-128, GeneratedAssembly.Get(created, "Tiny"));
        Assert.Equal((short)-32768, GeneratedAssembly.Get(created, "Small"));
        Assert.Equal((byte)255, GeneratedAssembly.Get(created, "Octet"));
        Assert.Equal((ushort)65535, GeneratedAssembly.Get(created, "Port"));
        Assert.Equal(uint.MaxValue, GeneratedAssembly.Get(created, "Count"));
        Assert.Equal(ulong.MaxValue, GeneratedAssembly.Get(created, "Total"));
        Assert.Equal(new[] { Guid.Parse(Id) }, (IList<Guid>)GeneratedAssembly.Get(created, "Tags")!);
        Assert.Equal(new DateOnly(2027, 1, 1), ((IDictionary<string, DateOnly>)GeneratedAssembly.Get(created, "Holidays")!)["newYear"]);
        Assert.Null(GeneratedAssembly.Get(created, "Signature"));
    }

    [Fact]
    public void Written_as_JSON_outside_a_request_a_model_keeps_its_read_only_members()
    {
        using GeneratedAssembly generated = GeneratedAssembly.FromScenario("Formats");
        object entry = generated.Read("Entry", $$"""{"id":"{{Id}}","createdAt":"2026-12-07T08:00:00Z","account":"{{Account}}","amount":1,"booked":"2026-01-01"}""");

        string json = generated.Write(entry);

        Assert.Contains($"\"id\":\"{Id}\"", json, StringComparison.Ordinal);
        Assert.Contains("\"createdAt\":", json, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("booked", "\"2026-13-01\"", "Entry.booked should be a date (yyyy-MM-dd) but is \"2026-13-01\"")]
    [InlineData("booked", "20260101", "Entry.booked should be a date (yyyy-MM-dd) but is a JSON Number")]
    [InlineData("account", "\"not-a-uuid\"", "Entry.account should be a UUID but is \"not-a-uuid\"")]
    [InlineData("createdAt", "\"yesterday\"", "Entry.createdAt should be an RFC 3339 date-time but is \"yesterday\"")]
    [InlineData("attachment", "\"***\"", "Entry.attachment should be base64 text but is \"***\"")]
    public async Task A_response_value_that_breaks_its_format_is_an_InvalidResponseException_naming_the_member(string member, string json, string expected)
    {
        using GeneratedAssembly generated = GeneratedAssembly.FromScenario("Formats");
        var valid = new Dictionary<string, string>
        {
            ["id"] = $"\"{Id}\"", ["createdAt"] = "\"2026-12-07T08:00:00Z\"", ["account"] = $"\"{Account}\"", ["amount"] = "1", ["booked"] = "\"2026-01-01\"",
        };
        valid[member] = json;
        string body = "{" + string.Join(",", System.Linq.Enumerable.Select(valid, m => $"\"{m.Key}\":{m.Value}")) + "}";
        await using RecordingServer server = await RecordingServer.StartAsync(Respond("[" + body + "]"));
        object client = Client(generated, server);

        InvalidResponseException error = await Assert.ThrowsAsync<InvalidResponseException>(
            () => GeneratedAssembly.CallAsync(client, "ListEntriesAsync", Guid.Parse(Account), null, null, null, null, null, null, CancellationToken.None));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    private static Func<HttpContext, Task> Respond(string json) => context =>
    {
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(json);
    };

    private static object Client(GeneratedAssembly generated, RecordingServer server) =>
        Activator.CreateInstance(generated.Type("TestClient"), new ApiClientOptions { BaseAddress = server.BaseAddress, MaxRetries = 0 }, new HttpClient())!;
}
