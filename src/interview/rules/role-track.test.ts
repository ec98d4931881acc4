import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { isSoftwareRole, matchRoleTrack } from './role-track.js';

describe('matchRoleTrack', () => {
  const cases: Array<[string, string]> = [
    ['Backend Engineer', 'backend'],
    ['Senior Back-end Developer', 'backend'],
    ['Site Reliability Engineer', 'backend'],
    ['后端开发', 'backend'],
    ['Java开发工程师', 'backend'],
    ['Frontend Engineer', 'frontend'],
    ['Front End Developer (React)', 'frontend'],
    ['前端开发', 'frontend'],
    ['Data Scientist', 'data_ml'],
    ['ML engineer', 'data_ml'],
    ['Machine Learning Engineer', 'data_ml'],
    ['Data Analyst', 'data_ml'],
    ['算法工程师', 'data_ml'],
    ['数据分析师', 'data_ml'],
    ['Product Manager', 'product'],
    ['Senior PM', 'product'],
    ['Head of Product', 'product'],
    ['产品经理', 'product'],
    ['Software Engineer', 'general'],
    ['软件工程师', 'general'],
    ['Account Manager', 'general'],
    ['数据库管理员', 'backend'],
  ];
  for (const [role, track] of cases) {
    it(`${role} → ${track}`, () => assert.equal(matchRoleTrack(role), track));
  }
});

describe('isSoftwareRole', () => {
  it('tells engineering roles from others', () => {
    assert.equal(isSoftwareRole('Software Engineer'), true);
    assert.equal(isSoftwareRole('软件工程师'), true);
    assert.equal(isSoftwareRole('iOS Developer'), true);
    assert.equal(isSoftwareRole('Account Manager'), false);
    assert.equal(isSoftwareRole('销售经理'), false);
  });
});
