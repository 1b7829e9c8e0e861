using Specgen.Runtime;

namespace Specgen.Runtime.Tests;

/// <summary>RFC 8288 <c>Link</c> headers as servers write them: what <see cref="Pager.NextLink"/> finds in them.</summary>
public sealed class LinkHeaderTests
{
    [Theory]
    [InlineData("<https://api.example.com/items?page=2>; rel=\"next\"", "https://api.example.com/items?page=2")]
    [InlineData("<https://a.example/1>; rel=\"prev\", <https://a.example/3>; rel=\"next\", <https://a.example/9>; rel=\"last\"", "https://a.example/3")]
    [InlineData("<https://a.example/3>; rel=next", "https://a.example/3")]
    [InlineData("<https://a.example/3>;rel=\"NEXT\"", "https://a.example/3")]
    [InlineData("<https://a.example/3>; rel=\"prefetch next\"", "https://a.example/3")]
    [InlineData("<https://a.example/1>; title=\"next, really\"; rel=\"first\", <https://a.example/2>; rel=\"next\"", "https://a.example/2")]
    [InlineData("<https://a.example/1;v=2>; title=\"say \\\"rel=next\\\"\"; rel=\"first\", < /items?page=2 >; rel=\"next\"", "/items?page=2")]
    public void The_next_relation_is_found_among_others_quoted_or_not(string header, string expected)
    {
        Assert.Equal(expected, LinkHeader.Target(header, "next"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("<https://a.example/1>; rel=\"first\", <https://a.example/9>; rel=\"last\"")]
    [InlineData("<https://a.example/1>; rel=\"nextish\"")]
    [InlineData("<https://a.example/1; rel=\"next\"")]
    [InlineData("https://a.example/1; rel=\"next\"")]
    public void A_header_without_a_well_formed_next_link_has_none(string header)
    {
        Assert.Null(LinkHeader.Target(header, "next"));
    }

    [Theory]
    [InlineData("https://a.example/x?page=2&per_page=5", "per_page", true)]
    [InlineData("https://a.example/x?page=2&per_page=5", "page", true)]
    [InlineData("https://a.example/x?page=2&per_page=5", "per", false)]
    [InlineData("https://a.example/x?flag&page=2", "flag", true)]
    [InlineData("https://a.example/x?page=2#per_page=5", "per_page", false)]
    [InlineData("https://a.example/x", "page", false)]
    public void A_link_already_carrying_a_parameter_is_recognised_by_its_whole_name(string url, string name, bool expected)
    {
        Assert.Equal(expected, Pager.LinkHasParameter(url, name));
    }
}
