import { refAndPath } from './refAndPath';

describe('refAndPath', () => {
  const branches = ['main', 'feature/receipts', 'feature/receipts/v2'];

  it('takes a branch and a path as they are', () => {
    expect(refAndPath(branches, 'main', 'src/pay.ts')).toEqual({
      ref: 'main',
      path: 'src/pay.ts',
    });
  });

  it('drops empty path segments', () => {
    expect(refAndPath(branches, 'main', 'src//')).toEqual({
      ref: 'main',
      path: 'src',
    });
  });

  it('reads a branch with slashes spelled out, the longest that fits', () => {
    expect(refAndPath(branches, 'feature', 'receipts/README.md')).toEqual({
      ref: 'feature/receipts',
      path: 'README.md',
    });
    expect(refAndPath(branches, 'feature', 'receipts/v2')).toEqual({
      ref: 'feature/receipts/v2',
      path: '',
    });
  });

  it('leaves a ref that is no branch (a tag, a commit) alone', () => {
    expect(refAndPath(branches, 'v1.0', 'docs')).toEqual({
      ref: 'v1.0',
      path: 'docs',
    });
  });
});
