/** Question bank tracks, and the kind of interview a role gets from either engine's planner. */
export type RoleTrack = 'backend' | 'frontend' | 'data_ml' | 'product' | 'general';

// Checked in order; the first track whose pattern matches wins. Product comes first because a
// "Product Manager, ML Platform" is interviewed as a product manager, and data before backend
// because "ML Engineer" or "Data Engineer" says more than the generic "engineer".
const TRACK_PATTERNS: ReadonlyArray<readonly [RoleTrack, RegExp]> = [
  [
    'product',
    /\bproduct\s+(manager|owner|lead|leader|director|head|management|strategist)\b|\b(head|vp|director)\s+of\s+product\b|\b(a?pm|cpo|tpm|gpm)\b|产品经理|产品负责人|产品总监|产品专员|产品运营|产品助理|产品策划|产品主管/i,
  ],
  [
    'data_ml',
    /\b(data\s+(scientist|science|analyst|analytics|engineer|engineering)|machine\s+learning|ml|mle|mlops|ai|deep\s+learning|nlp|computer\s+vision|cv\s+engineer|research\s+scientist|applied\s+scientist|statistician|analytics\s+engineer|llm|bi\s+analyst|business\s+intelligence)\b|数据(?!库)|算法|机器学习|深度学习|人工智能|大模型|推荐系统|自然语言|计算机视觉|统计/i,
  ],
  [
    'frontend',
    /\b(front[\s-]?end|web\s+(developer|engineer)|ui\s+(engineer|developer)|react|vue|angular|javascript\s+(developer|engineer))\b|前端|页面开发|web\s*开发|H5/i,
  ],
  [
    'backend',
    /\b(back[\s-]?end|server[\s-]?side|api\s+(engineer|developer)|platform\s+engineer|infrastructure\s+engineer|distributed\s+systems|site\s+reliability|sre|devops|golang|go\s+(developer|engineer)|java\s+(developer|engineer)|node(\.?js)?\s+(developer|engineer)|database\s+(engineer|administrator)|dba)\b|后端|后台开发|服务端|服务器端|java\s*开发|go\s*开发|golang|基础架构|运维开发|数据库/i,
  ],
];

// engineering words: a role without a track of its own still gets software questions when it has one
const SOFTWARE_ROLE_PATTERN =
  /\b(software|developer|engineer|engineering|programmer|coder|sde|swe|full[\s-]?stack|mobile|ios|android|embedded|firmware|qa|test\s+automation|architect|cto)\b|工程师|开发|程序员|研发|架构师|全栈|测试|移动端|嵌入式|客户端/i;

/** The question bank track for a role, such as "Backend Engineer" → `backend`, "产品经理" → `product`. */
export function matchRoleTrack(role: string): RoleTrack {
  for (const [track, pattern] of TRACK_PATTERNS) {
    if (pattern.test(role)) return track;
  }
  return 'general';
}

/**
 * Whether a role reads as software engineering. Only matters for the `general` track: "Software
 * Engineer" gets engineering questions there, while "Account Manager" gets questions about the job itself.
 */
export function isSoftwareRole(role: string): boolean {
  const track = matchRoleTrack(role);
  if (track === 'backend' || track === 'frontend') return true;
  return SOFTWARE_ROLE_PATTERN.test(role);
}
