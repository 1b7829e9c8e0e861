using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;

namespace Specgen.Runtime.Tests;

/// <summary>How values that are not single scalars are spelled in queries, form bodies and headers.</summary>
public sealed class ValueEncodingTests
{
    [Theory]
    [InlineData(ValueStyle.Form, true, "id=1&id=2&id=3")]
    [InlineData(ValueStyle.Form, false, "id=1,2,3")]
    [InlineData(ValueStyle.SpaceDelimited, false, "id=1 2 3")]
    [InlineData(ValueStyle.PipeDelimited, false, "id=1|2|3")]
    [InlineData(ValueStyle.PipeDelimited, true, "id=1&id=2&id=3")]
    [InlineData(ValueStyle.DeepObject, true, "id[0]=1&id[1]=2&id[2]=3")]
    [InlineData(ValueStyle.Json, false, "id=[1,2,3]")]
    public void An_array_is_spelled_as_its_style_says(ValueStyle style, bool explode, string expected)
    {
        Assert.Equal(expected, Join(ValueEncoding.Pairs("id", Json("[1,2,3]"), style, explode)));
    }

    [Theory]
    [InlineData(ValueStyle.Form, true, "R=100&G=200")]
    [InlineData(ValueStyle.Form, false, "color=R,100,G,200")]
    [InlineData(ValueStyle.SpaceDelimited, false, "color=R 100 G 200")]
    [InlineData(ValueStyle.PipeDelimited, false, "color=R|100|G|200")]
    [InlineData(ValueStyle.DeepObject, true, "color[R]=100&color[G]=200")]
    public void An_object_is_spelled_as_the_OpenAPI_style_table_shows(ValueStyle style, bool explode, string expected)
    {
        Assert.Equal(expected, Join(ValueEncoding.Pairs("color", Json("""{"R":100,"G":200}"""), style, explode)));
    }

    [Fact]
    public void A_deep_object_nests_as_deep_as_the_value_and_leaves_nulls_out()
    {
        JsonElement value = Json("""{"a":{"b":[{"c":true},{"c":null}],"d":"x y"},"e":null}""");

        Assert.Equal("f[a][b][0][c]=true&f[a][d]=x y", Join(ValueEncoding.Pairs("f", value, ValueStyle.DeepObject, explode: true)));
    }

    [Fact]
    public void Form_fields_default_to_repeated_arrays_and_deep_objects_and_follow_the_encodings_given()
    {
        JsonElement body = Json("""{"To":"+1","N":2.5,"On":false,"Events":["a","b"],"Attrs":{"k":{"x":1}},"Meta":{"m":"v"},"Tags":["t","u"],"Gone":null}""");
        var encodings = new[] { new FieldEncoding("Meta", ValueStyle.Json), new FieldEncoding("Tags", ValueStyle.Form, Explode: false) };

        Assert.Equal(
            "To=+1&N=2.5&On=false&Events=a&Events=b&Attrs[k][x]=1&Meta={\"m\":\"v\"}&Tags=t,u",
            Join(ValueEncoding.FormFields(body, encodings)));
    }

    [Fact]
    public void A_form_body_that_is_not_an_object_is_refused()
    {
        Assert.Throws<ArgumentException>(() => ValueEncoding.FormFields(Json("[1]")));
    }

    [Theory]
    [InlineData("[\"a\",\"b\"]", false, "a,b")]
    [InlineData("{\"x\":1,\"y\":2}", false, "x,1,y,2")]
    [InlineData("{\"x\":1,\"y\":2}", true, "x=1,y=2")]
    [InlineData("\"plain\"", false, "plain")]
    [InlineData("null", false, null)]
    public void The_simple_style_joins_with_commas(string json, bool explode, string? expected)
    {
        Assert.Equal(expected, ValueEncoding.Simple(Json(json), explode));
    }

    [Fact]
    public async System.Threading.Tasks.Task The_form_body_escapes_names_and_values_with_plus_for_space()
    {
        var request = new ApiRequest(System.Net.Http.HttpMethod.Post, "op");
        request.SetFormBody(new[] { new KeyValuePair<string, string>("a b[c]", "x&y=z +") });

        using System.Net.Http.HttpContent content = request.ContentFactory!();

        Assert.Equal("a+b%5Bc%5D=x%26y%3Dz+%2B", await content.ReadAsStringAsync());
        Assert.Equal("application/x-www-form-urlencoded", content.Headers.ContentType!.MediaType);
    }

    [Fact]
    public void Cookies_share_one_header_with_their_values_percent_encoded()
    {
        var request = new ApiRequest(System.Net.Http.HttpMethod.Get, "op");

        request.AddCookie("a", "1; x=2").AddCookie("skipped", null).AddCookie("b", "two");

        var cookie = Assert.Single(request.Headers);
        Assert.Equal("Cookie", cookie.Key);
        Assert.Equal("a=1%3B%20x%3D2; b=two", cookie.Value);
    }

    [Fact]
    public void A_file_outside_a_multipart_body_is_written_and_read_as_base64()
    {
        var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            FileUpload.WriteJson(writer, new FileUpload(new byte[] { 1, 2, 3 }));
        }

        Assert.Equal("\"AQID\"", Encoding.UTF8.GetString(buffer.ToArray()));
        var reader = new Utf8JsonReader(buffer.ToArray());
        reader.Read();
        FileUpload read = FileUpload.ReadJson(ref reader);
        using var copy = new MemoryStream();
        read.Content.CopyTo(copy);
        Assert.Equal(new byte[] { 1, 2, 3 }, copy.ToArray());
    }

    [Fact]
    public void A_file_name_defaults_to_the_name_of_a_file_stream_then_to_the_field()
    {
        string path = Path.Combine(Path.GetTempPath(), "specgen-upload-" + Guid.NewGuid().ToString("N") + ".png");
        File.WriteAllBytes(path, new byte[] { 1 });
        try
        {
            using FileStream stream = File.OpenRead(path);

            Assert.Equal(Path.GetFileName(path), new FileUpload(stream).FileNameOr("image"));
            Assert.Equal("image", new FileUpload(new byte[] { 1 }).FileNameOr("image"));
            Assert.Equal("mine.png", new FileUpload(stream, "mine.png").FileNameOr("image"));
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static JsonElement Json(string json) => JsonDocument.Parse(json).RootElement.Clone();

    private static string Join(IEnumerable<KeyValuePair<string, string>> pairs) => string.Join("&", pairs.Select(p => p.Key + "=" + p.Value));
}
