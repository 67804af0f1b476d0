using System.Net;
using System.Text.RegularExpressions;
using ScottPlot;
using SkiaSharp;

namespace Amlfs.Cli.Evaluation;

/// <summary>
/// Turns a ScottPlot plot into markup that an HTML page holds inline: SVG (text stays text, small for line plots) or
/// a base64 PNG (for plots of thousands of points). Plot text uses the first sans-serif family installed, measured by
/// SkiaSharp, which reads font files itself (its Linux build has no fontconfig dependency); with no font at all the
/// plots still render, without their text, and <see cref="HasFonts"/> lets the page say so.
/// </summary>
internal static partial class PlotEmbedding
{
    private static readonly string[] SansFamilies = ["DejaVu Sans", "Liberation Sans", "Noto Sans", "Arial", "Helvetica", "FreeSans"];

    private static readonly Lazy<string?> SansFamily = new(() =>
        SansFamilies.FirstOrDefault(name => Fonts.GetTypeface(name, bold: false, italic: false)?.FamilyName == name));

    /// <summary>Whether SkiaSharp finds any font on this machine; without one, plot titles, labels and ticks are blank.</summary>
    public static bool HasFonts => SKFontManager.Default.FontFamilyCount > 0;

    /// <summary>A new plot in the report's style.</summary>
    public static Plot NewPlot(string title, string xLabel, string yLabel)
    {
        var plot = new Plot();
        if (SansFamily.Value is { } family)
            plot.Font.Set(family);
        plot.Title(title, 15);
        plot.XLabel(xLabel, 13);
        plot.YLabel(yLabel, 13);
        return plot;
    }

    /// <summary>
    /// The plot as an inline <c>&lt;svg&gt;</c> element: without the XML declaration and namespace attributes (the HTML
    /// parser puts the element in the SVG namespace), and with every id prefixed by <paramref name="idPrefix"/> so that
    /// the clip paths of several plots on one page do not collide.
    /// </summary>
    public static string Svg(Plot plot, int width, int height, string idPrefix, string description)
    {
        var svg = plot.GetSvgXml(width, height);
        var start = svg.IndexOf("<svg", StringComparison.Ordinal);
        svg = svg[start..];
        svg = NamespaceAttribute().Replace(svg, string.Empty);
        svg = IdReference().Replace(svg, m => m.Groups["head"].Value + idPrefix + m.Groups["id"].Value);
        var open = svg.IndexOf('>', StringComparison.Ordinal);
        return svg[..open] + $" role=\"img\" aria-label=\"{WebUtility.HtmlEncode(description)}\" viewBox=\"0 0 {width} {height}\"" + svg[open..];
    }

    /// <summary>The plot as an <c>&lt;img&gt;</c> whose source is a base64 PNG data URI.</summary>
    public static string Png(Plot plot, int width, int height, string description)
    {
        var png = plot.GetImageBytes(width, height, ImageFormat.Png);
        return $"<img width=\"{width}\" height=\"{height}\" alt=\"{WebUtility.HtmlEncode(description)}\" src=\"data:image/png;base64,{Convert.ToBase64String(png)}\">";
    }

    [GeneratedRegex(@"\s+xmlns(:\w+)?=""[^""]*""")]
    private static partial Regex NamespaceAttribute();

    [GeneratedRegex(@"(?<head>\bid=""|url\(#|href=""#)(?<id>[^"")]+)")]
    private static partial Regex IdReference();
}
