import { Controller, Get, Header, Param } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Public } from '../access/access.module.js';
import { NotFoundError } from '../event-sourcing/index.js';
import { ProblemSlug, isProblemSlug, problemTypes } from '../infrastructure/http/problems.js';

/** `GET /problems/<slug>`: the `type` URI of every problem answer explains itself to a person. */
@ApiExcludeController()
@Controller('problems')
export class ProblemsController {
  @Get()
  @Public()
  @Header('content-type', 'text/html; charset=utf-8')
  index(): string {
    const items = (Object.keys(problemTypes) as ProblemSlug[])
      .map(
        (slug) =>
          `<li><a href="/problems/${slug}">${slug}</a> (${problemTypes[slug].status}): ${escapeHtml(problemTypes[slug].title)}</li>`,
      )
      .join('\n');
    return page('Kontor problem types', `<ul>\n${items}\n</ul>`);
  }

  @Get(':slug')
  @Public()
  @Header('content-type', 'text/html; charset=utf-8')
  explain(@Param('slug') slug: string): string {
    if (!isProblemSlug(slug)) throw new NotFoundError(`no problem type ${slug}`);
    const problem = problemTypes[slug];
    return page(
      `${problem.title} (${slug})`,
      `<p>HTTP status ${problem.status}. Answers with <code>"type": "/problems/${slug}"</code>.</p>
<p>${escapeHtml(problem.explanation)}</p>
<p lang="de">${escapeHtml(problem.explanationDe)}</p>
<p><a href="/problems">All problem types</a></p>`,
    );
  }
}

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>
<body><h1>${escapeHtml(title)}</h1>
${body}
</body></html>
`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}
